"""Reading HTML in tests: what elements and attributes a page or fragment really contains."""

import re
from html.parser import HTMLParser


class TagCollector(HTMLParser):
    """Every start tag of `html`, as (tag, attributes) pairs in `elements`, and its text."""

    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.texts = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.texts.append(data)


def _squashed(text: str) -> str:
    # Without whitespace: paragraphs and line breaks become tags, between which a page's text
    # has no space.
    return "".join(text.split())


def shows(html: str, text: str) -> bool:
    """Whether `text` appears as text in the page (whitespace aside), or as an attribute's
    value (a form field)."""
    page = TagCollector(html)
    wanted = _squashed(text)
    if wanted in _squashed("".join(page.texts)):
        return True
    return any(
        wanted in _squashed(value or "")
        for _tag, attrs in page.elements
        for value in attrs.values()
    )


# Where a URL in an attribute is followed or loaded by a browser.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
    "ping",
    "codebase",
    "lowsrc",
    "dynsrc",
    "manifest",
}
DANGEROUS_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript):", re.IGNORECASE)
# Elements no page of ours has, whose presence means markup from input was interpreted.
FOREIGN_ELEMENTS = {
    "applet",
    "base",
    "embed",
    "frame",
    "frameset",
    "math",
    "object",
    "style",
    "svg",
    "template",
    "xmp",
    "plaintext",
    "noembed",
    "isindex",
}
# The icons Django's admin draws inline (its theme switch, and the sprite they use).
ADMIN_SVG_CLASSES = {
    "theme-icon-when-auto",
    "theme-icon-when-dark",
    "theme-icon-when-light",
    "base-svgs",
}
FRAMED_ORIGINS = ("https://www.youtube-nocookie.com/", "https://player.vimeo.com/")
SCRIPT_DATA_TYPES = {"application/json", "application/ld+json"}


def active_content(html: str) -> list[str]:
    """Everything in `html` that a browser would run, load or follow on the page's behalf and
    that no template of ours writes: what escaping must keep hostile input from becoming.

    Checked structurally on the parsed elements: event-handler and style attributes, scripts
    that are neither our static files nor data, URLs with script or data schemes, frames other
    than the video players, SVG (but the admin's icons), MathML, style, base, object and embed
    elements, refreshes, forms and buttons that post elsewhere.
    """
    problems = []
    for tag, attrs in TagCollector(html).elements:
        where = f"<{tag} {attrs}>"
        for name, value in attrs.items():
            value = value or ""
            if name.startswith("on"):
                problems.append(f"event handler {name}: {where}")
            if name == "style":
                problems.append(f"style attribute: {where}")
            if name in URL_ATTRIBUTES and DANGEROUS_SCHEME.match(_url_as_read(value)):
                problems.append(f"{name} with a script or data URL: {where}")
            if name in {"action", "formaction"} and not _same_site(value):
                problems.append(f"{name} posting elsewhere: {where}")
        if tag == "svg" and attrs.get("class") in ADMIN_SVG_CLASSES:
            continue
        if tag in FOREIGN_ELEMENTS:
            problems.append(f"element {tag}: {where}")
        if tag == "script" and not (
            (attrs.get("src") and _same_site(attrs["src"]))
            or attrs.get("type") in SCRIPT_DATA_TYPES
        ):
            problems.append(f"script that is not one of our files: {where}")
        if tag == "iframe" and not (attrs.get("src") or "").startswith(FRAMED_ORIGINS):
            problems.append(f"frame: {where}")
        if tag == "meta" and attrs.get("http-equiv"):
            problems.append(f"meta http-equiv: {where}")
        if tag == "link" and not _same_site(attrs.get("href") or ""):
            problems.append(f"link to elsewhere: {where}")
    return problems


def _same_site(url: str) -> bool:
    """A path of ours ("/static/...", "?page=2", ""), or an address on the test server."""
    return (
        url.startswith(("http://testserver/", "?", "#"))
        or (url.startswith("/") and not url.startswith(("//", "/\\")))
        or url == ""
    )


def _url_as_read(value: str) -> str:
    """A URL as a browser reads its scheme: leading spaces and control characters, and tabs
    and newlines anywhere, are ignored ("java\\tscript:" is "javascript:")."""
    return re.sub(r"[\t\n\r]", "", value).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08 \x0b\x0c")
