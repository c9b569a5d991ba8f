// "Insert a snippet" above the answer: the coach's stock paragraphs, put in at the cursor.
(() => {
  const data = document.getElementById("answer-snippets");
  const answer = document.getElementById("id_answer");
  if (!data || !answer) return;
  const snippets = JSON.parse(data.textContent);
  if (!snippets.length) return;
  const label = document.createElement("label");
  label.textContent = "Insert a snippet: ";
  const select = document.createElement("select");
  select.id = "snippet-picker";
  label.htmlFor = select.id;
  select.append(new Option("Choose…", ""));
  snippets.forEach((snippet, index) => select.append(new Option(snippet.title, String(index))));
  const bar = document.createElement("div");
  bar.className = "snippet-bar";
  bar.append(label, select);
  answer.before(bar);
  select.addEventListener("change", () => {
    if (select.value === "") return;
    const text = snippets[Number(select.value)].body;
    const start = answer.selectionStart ?? answer.value.length;
    const end = answer.selectionEnd ?? start;
    const before = answer.value.slice(0, start);
    const gap = before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
    answer.setRangeText(`${gap}${text}\n\n`, start, end, "end");
    answer.dispatchEvent(new Event("input"));
    answer.focus();
    select.value = "";
  });
})();
