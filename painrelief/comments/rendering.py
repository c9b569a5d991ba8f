"""Comment bodies are plain text: paragraphs and line breaks kept, web addresses linked."""

import re
import unicodedata

import nh3
from django.utils.html import linebreaks, urlize

# Joiners (U+200C, U+200D) are the only format characters kept: emoji and some scripts need
# them. The others reorder or hide text (bidirectional overrides, zero-width spaces).
KEPT_FORMAT_CHARACTERS = "\u200c\u200d"
LINK_REL = "nofollow ugc noopener"
URL_DISPLAY_LIMIT = 60
# urlize links email addresses with mailto:, which the sanitizer strips: unwrap those.
LINK_WITHOUT_ADDRESS = re.compile(f'<a rel="{LINK_REL}">(.*?)</a>')


def clean_text(text: str) -> str:
    """The text without control, format or unassigned characters; newlines and tabs kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char
        for char in text
        if char in "\n\t"
        or char in KEPT_FORMAT_CHARACTERS
        or not unicodedata.category(char).startswith("C")
    )


def clean_line(text: str) -> str:
    """One line of text (a name): cleaned as above, with runs of whitespace made one space."""
    return " ".join(clean_text(text).split())


def render_comment(text: str) -> str:
    """HTML for a comment body: escaped, paragraphs, web addresses as nofollow links.

    The result goes through an allow-list sanitizer, so only <p>, <br> and http(s) links
    can come out, whatever urlize does with odd input.
    """
    linked = urlize(clean_text(text).strip(), trim_url_limit=URL_DISPLAY_LIMIT, autoescape=True)
    html = nh3.clean(
        linebreaks(linked),
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=LINK_REL,
    )
    return LINK_WITHOUT_ADDRESS.sub(r"\1", html)
