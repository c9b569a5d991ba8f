"""Comment bodies are plain text: paragraphs and line breaks kept, web addresses linked."""

import re

import nh3
from django.utils.html import linebreaks, urlize

from painrelief.text import clean_text

LINK_REL = "nofollow ugc noopener"
URL_DISPLAY_LIMIT = 60
# urlize links email addresses with mailto:, which the sanitizer strips: unwrap those.
LINK_WITHOUT_ADDRESS = re.compile(f'<a rel="{LINK_REL}">(.*?)</a>')


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
