// The "please seek urgent care" notice appears as soon as the case mentions a red flag, before
// anything is sent. The server checks again on the preview and after sending.
(() => {
  const data = document.querySelector("form[data-red-flags]");
  const notice = document.getElementById("urgent-care-notice");
  const fields = ["id_title", "id_body"].map((id) => document.getElementById(id)).filter(Boolean);
  if (!data || !notice || !fields.length) return;
  const flags = JSON.parse(data.dataset.redFlags);
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // Whole words, or the start of a word for a phrase ending with "*" (as on the server).
  const pattern = (phrase) =>
    phrase.endsWith("*") ? `\\b${escape(phrase.slice(0, -1).trim())}` : `\\b${escape(phrase)}\\b`;
  const mentions = (text, phrases) =>
    phrases.some((phrase) => new RegExp(pattern(phrase), "i").test(text.replace(/’/g, "'")));
  const check = () => {
    const text = fields.map((field) => field.value).join("\n");
    const flagged = flags.some(
      (flag) => mentions(text, flag.phrases) && (!flag.with.length || mentions(text, flag.with)),
    );
    notice.hidden = !flagged;
  };
  fields.forEach((field) => field.addEventListener("input", check));
  check();

  const body = document.getElementById("id_body");
  const counter = document.getElementById("case-length");
  if (body && counter) {
    const update = () => { counter.textContent = `${body.value.length.toLocaleString()} of 10,000 characters`; };
    body.addEventListener("input", update);
    update();
  }
})();
