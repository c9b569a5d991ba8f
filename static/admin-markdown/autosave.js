// Autosave of the article being written: what the editor holds (title, summary, body) is kept
// as the writer's draft revision a few seconds after they stop typing, and when the tab is
// hidden or closed. Nothing is published: saving the form is still what changes the article.
(() => {
  const status = document.getElementById("autosave-status");
  if (!status) return;
  const fields = ["title", "summary", "body"].map((name) => document.getElementById(`id_${name}`));
  if (fields.some((field) => !field)) return;
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  const [title, summary, body] = fields;
  body.closest(".form-row, .fieldBox, div").after(status);

  let timer = null;
  let dirty = false;
  let submitting = false;
  const payload = () => {
    const data = new FormData();
    data.append("article", status.dataset.article);
    data.append("title", title.value);
    data.append("summary", summary.value);
    data.append("body", body.value);
    return data;
  };
  const save = async ({ keepalive = false } = {}) => {
    if (!dirty || submitting) return;
    dirty = false;
    try {
      const response = await fetch(status.dataset.autosaveUrl, {
        method: "POST",
        body: payload(),
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
        credentials: "same-origin",
        keepalive,
      });
      if (!response.ok) throw new Error(response.status);
      const data = await response.json();
      status.textContent = `Draft autosaved at ${data.saved_at} (not published: save to keep it).`;
    } catch {
      dirty = true;
      status.textContent = "The draft could not be autosaved; your text is still here.";
    }
    status.hidden = false;
  };
  for (const field of fields) {
    field.addEventListener("input", () => {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(save, 3000);
    });
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save({ keepalive: true });
  });
  body.form.addEventListener("submit", () => { submitting = true; clearTimeout(timer); });

  const restore = document.getElementById("autosaved-draft-restore");
  if (restore) {
    restore.hidden = false;
    restore.addEventListener("click", () => {
      for (const [field, name] of [[title, "title"], [summary, "summary"], [body, "body"]]) {
        field.value = JSON.parse(document.getElementById(`autosaved-${name}`).textContent);
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
      document.getElementById("autosaved-draft").hidden = true;
    });
  }
})();
