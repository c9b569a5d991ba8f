// Live preview of Markdown fields in the admin, rendered by the site's own renderer on the server.
// The panel sits next to the textarea named by data-source; without JavaScript it stays hidden.
(() => {
  const panel = document.getElementById("markdown-preview-panel");
  if (!panel) return;
  const source = document.getElementById(panel.dataset.source);
  if (!source) return;
  const output = panel.querySelector(".markdown-preview");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  source.closest(".form-row, .fieldBox, div").after(panel);
  panel.hidden = false;

  let timer = null;
  let latest = 0;
  const render = async () => {
    const request = ++latest;
    const body = new FormData();
    body.append("body", source.value);
    try {
      const response = await fetch(panel.dataset.previewUrl, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(response.status);
      const data = await response.json();
      // The server's HTML has been through the allow-list sanitizer.
      if (request === latest) output.innerHTML = data.html;
    } catch {
      if (request === latest) output.textContent = "The preview could not be updated; your text is safe.";
    }
  };
  source.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(render, 300);
  });
  render();
})();
