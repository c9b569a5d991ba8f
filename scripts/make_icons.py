"""Draws the site's icons into static/icons/ (run once after changing them; the files are kept
in the repository): a reader's head and shoulders on the site's teal, as SVG, PNG and ICO."""

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parents[1] / "static" / "icons"
TEAL, WHITE = (11, 93, 107), (255, 255, 255)
SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<rect width="64" height="64" rx="14" fill="#0b5d6b"/>
<circle cx="32" cy="22" r="10" fill="#fff"/>
<path d="M12 54c0-12 9-20 20-20s20 8 20 20z" fill="#fff"/>
</svg>
"""


def draw(size: int, *, rounded: bool = True) -> Image.Image:
    """The icon at `size` pixels; `rounded=False` fills the square (maskable app icons)."""
    scale = 4  # drawn large, then reduced: smooth edges
    s = size * scale / 64
    image = Image.new("RGBA", (size * scale, size * scale), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle([0, 0, 64 * s, 64 * s], radius=14 * s if rounded else 0, fill=TEAL)
    pen.ellipse([22 * s, 12 * s, 42 * s, 32 * s], fill=WHITE)
    pen.pieslice([12 * s, 34 * s, 52 * s, 74 * s], 180, 360, fill=WHITE)
    pen.rectangle([12 * s, 53.5 * s, 52 * s, 54 * s], fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ICONS.mkdir(exist_ok=True)
    (ICONS / "favicon.svg").write_text(SVG, encoding="utf-8")
    draw(180, rounded=False).convert("RGB").save(ICONS / "apple-touch-icon.png", optimize=True)
    for size in (192, 512):
        draw(size).save(ICONS / f"icon-{size}.png", optimize=True)
    draw(512, rounded=False).save(ICONS / "icon-maskable-512.png", optimize=True)
    draw(48).save(ICONS / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
