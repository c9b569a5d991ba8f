// After the page loads: focus the first field a returned form marks as wrong (its errors are
// listed above the form, in an alert), and announce flash messages to screen readers.
// Without a field to blame (a wrong password, say), the list of errors itself takes focus.
const invalid = document.querySelector("form .is-invalid, form [aria-invalid='true']");
const summary = document.querySelector(".form-errors");
if (invalid) invalid.focus();
else if (summary) summary.focus();

for (const region of document.querySelectorAll(".messages[aria-live]")) {
  const messages = [...region.children];
  region.replaceChildren();
  // A moment after the region is in the page, so assistive technology hears the change.
  setTimeout(() => region.replaceChildren(...messages), 150);
}
