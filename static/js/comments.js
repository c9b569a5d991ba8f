// Reply links open the comment form under the comment they answer (without JavaScript they
// reload the page with ?replytocom=, and the form at the bottom answers that comment).
(() => {
  const respond = document.getElementById("respond");
  if (!respond) return;
  const home = document.createComment("comment form");
  respond.parentNode.insertBefore(home, respond);
  const parentInput = respond.querySelector('input[name="parent"]');
  const title = respond.querySelector(".reply-title-text");
  const cancel = document.getElementById("cancel-comment-reply-link");
  const defaultTitle = respond.dataset.defaultTitle || "Leave a Reply";

  const focusBody = () => respond.querySelector("textarea")?.focus();

  document.addEventListener("click", (event) => {
    const link = event.target.closest(".comment-reply-link");
    if (!link) return;
    event.preventDefault();
    const comment = document.getElementById(`comment-${link.dataset.replyTo}`);
    comment.querySelector(":scope > .comment-body").after(respond);
    respond.classList.add("is-inline");
    parentInput.value = link.dataset.replyTo;
    title.textContent = `Reply to ${link.dataset.author}`;
    cancel.classList.remove("d-none");
    focusBody();
  });

  cancel.addEventListener("click", (event) => {
    event.preventDefault();
    const answered = parentInput.value;
    home.parentNode.insertBefore(respond, home.nextSibling);
    respond.classList.remove("is-inline");
    parentInput.value = "";
    title.textContent = defaultTitle;
    cancel.classList.add("d-none");
    document.querySelector(`#comment-${answered} .comment-reply-link`)?.focus();
  });
})();
