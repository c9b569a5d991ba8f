// Click-to-load videos: an article shows a placeholder and loads nothing from YouTube or Vimeo
// until the reader presses play (painrelief/markdown.py writes the placeholder).
for (const figure of document.querySelectorAll(".video-embed[data-player]")) {
  const button = figure.querySelector(".video-play");
  const fallback = figure.querySelector(".video-no-script");
  if (!button) continue;
  button.hidden = false;
  if (fallback) fallback.hidden = true;
  button.addEventListener("click", () => {
    const player = new URL(figure.dataset.player);
    player.searchParams.set("autoplay", "1");
    const frame = document.createElement("iframe");
    frame.src = player.href;
    frame.title = figure.dataset.title;
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-presentation allow-popups");
    frame.setAttribute("allowfullscreen", "");
    button.parentElement.replaceChildren(frame);
    frame.focus();
  }, { once: true });
}
