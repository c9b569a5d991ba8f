// "Copy link" on articles: copies the address instead of following the link, when the browser allows.
document.addEventListener("click", async (event) => {
  const link = event.target.closest("[data-copy-url]");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  try {
    await navigator.clipboard.writeText(link.dataset.copyUrl);
    link.textContent = "Link copied";
  } catch {
    window.prompt("Copy this link:", link.dataset.copyUrl);
  }
});
