// reCAPTCHA v3 (only when the operator configures it): ask Google for a token when a form with
// a v3 field is sent, put it in the field, then send the form. Without a token the form is
// sent anyway and the spam defence holds it for a moderator.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const field = form.querySelector("input.recaptcha-v3");
  if (!field || field.value || !window.grecaptcha) return;
  event.preventDefault();
  window.grecaptcha.ready(() => {
    window.grecaptcha
      .execute(field.dataset.sitekey, { action: field.dataset.action })
      .then((token) => { field.value = token; })
      .finally(() => form.submit());
  });
});
