// The shared (cached) copy of a page carries its forms without a CSRF token or a form stamp,
// and without the visitor's own comments awaiting moderation: fetch them for this visitor
// (GET, same origin, never cached), fill the forms in, and enable their buttons.
(() => {
  const forms = document.querySelectorAll("form[data-form-state]");
  if (!forms.length) return;

  const hidden = (form, name, value) => {
    let input = form.querySelector(`input[name="${name}"]`);
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.prepend(input);
    }
    input.value = value;
  };

  const placeHeld = (held) => {
    const template = document.createElement("template");
    for (const comment of held) {
      if (document.getElementById(`comment-${comment.id}`)) continue;
      template.innerHTML = comment.html.trim();
      const node = template.content.firstElementChild;
      let list;
      if (comment.parent) {
        const parent = document.getElementById(`comment-${comment.parent}`);
        if (!parent) continue; // its thread is on another page
        list = parent.querySelector(":scope > ol.children");
        if (!list) {
          list = document.createElement("ol");
          list.className = "children list-unstyled";
          parent.append(list);
        }
      } else {
        list = document.querySelector("#comments > ol.comment-list");
        if (!list) {
          list = document.createElement("ol");
          list.className = "comment-list list-unstyled";
          document.getElementById("comments-title").after(list);
        }
      }
      list.append(node);
    }
    if (window.location.hash) document.querySelector(window.location.hash)?.scrollIntoView();
  };

  // The comment form's address also brings the guest's held comments; any other, the token.
  const source = document.querySelector("form.comment-form[data-form-state]") || forms[0];
  const url = new URL(source.dataset.formState, window.location.href);
  const page = new URLSearchParams(window.location.search).get("cpage");
  if (page) url.searchParams.set("cpage", page);
  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((state) => {
      for (const form of forms) {
        hidden(form, "csrfmiddlewaretoken", state.csrf_token);
        for (const stamp of form.querySelectorAll('input[name$="form_stamp"]')) {
          stamp.value = state.form_stamp;
        }
        for (const button of form.querySelectorAll("button[type=submit][disabled]")) {
          button.disabled = false;
        }
      }
      placeHeld(state.held || []);
    })
    .catch(() => {
      // The form cannot be sent from this page: offer its own page, which carries its token.
      for (const form of forms) {
        const note = document.createElement("p");
        note.className = "alert alert-warning small";
        const link = document.createElement("a");
        link.href = form.action;
        link.textContent = "Open this form on a page of its own";
        note.append(link, " to send it.");
        form.before(note);
      }
    });
})();
