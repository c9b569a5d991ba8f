"""The site search's shared part: the words of a query, and snippets with the matches marked.

Each content app searches its own public objects (articles.search, questions.search); the
search page (painrelief.views.SearchView) puts them side by side.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

START, STOP = "\x02", "\x03"  # markers no text contains: the snippet is escaped, then marked
SNIPPET_CHARS = 260


def search_terms(query: str) -> list[str]:
    return [term for term in re.findall(r"\w+", query.lower()) if len(term) > 1][:10]


def snippet_around(text: str, terms: list[str]) -> str:
    lowered = text.lower()
    positions = [p for p in (lowered.find(term) for term in terms) if p >= 0]
    start = max(0, min(positions, default=0) - SNIPPET_CHARS // 3)
    if start:
        start = text.find(" ", start) + 1
    snippet = text[start : start + SNIPPET_CHARS].rsplit(" ", 1)[0]
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", snippet) if terms else snippet
    return ("… " if start else "") + marked + (" …" if start + SNIPPET_CHARS < len(text) else "")


def marked(snippet: str) -> str:
    return mark_safe(escape(snippet).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 (escaped first)
