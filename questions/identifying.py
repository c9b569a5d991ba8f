"""Highlights of what may identify the asker in a case, to help the coach write the public text.

A helper for a person, not a guarantee: it marks likely names, email addresses, phone numbers,
ages, places, employers, dates and web addresses; the coach reads the whole case anyway.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
CAPITALISED = r"[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+)*"

PATTERNS = [
    ("email address", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    ("web address", r"(?:https?://|www\.)\S+"),
    ("phone number", r"(?<!\w)\+?\d[\d\s().-]{7,}\d"),
    (
        "date",
        rf"(?i:\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\b(?:\s+\d{{4}})?"
        rf"|\b(?:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)"
        r"|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b",
    ),
    (
        "age",
        r"(?i:\b\d{1,3}[\s-]*(?:years?|yrs?)[\s-]*old\b|\baged?\s+\d{1,3}\b"
        r"|\b(?:I'm|I am|he's|he is|she's|she is)\s+\d{1,3}\b)",
    ),
    (
        "employer",
        r"(?i:\b(?:work(?:s|ed|ing)?\s+(?:at|for)|employed\s+(?:at|by)|job\s+at)"
        rf"\s+(?:the\s+)?){CAPITALISED}",
    ),
    ("place", rf"(?i:\b(?:in|from|near|live in|lives in|moved to)\s+){CAPITALISED}"),
    (
        "name",
        r"(?i:\b(?:my name is|I'm|I am|called|named|husband|wife|partner|son|daughter|"
        r"mother|father|mum|mom|dad|brother|sister|friend|Dr\.?|doctor|physio)\s+)"
        rf"{CAPITALISED}",
    ),
]
# Trigger words match in any case; the names after them must be capitalised.
COMBINED = re.compile("|".join(f"(?P<g{i}>{p})" for i, (_, p) in enumerate(PATTERNS)))
# Words that follow "in", "I'm"... with a capital letter but identify nobody.
HARMLESS = {
    "I",
    "The",
    "My",
    "A",
    "An",
    "It",
    "This",
    "That",
    "MRI",
    "X-ray",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    *(month.capitalize() for month in MONTHS.split("|")),
}


@dataclass(frozen=True)
class Hit:
    kind: str
    text: str
    start: int
    end: int


def hits(text: str) -> list[Hit]:
    """The likely identifying details in `text`, in order."""
    found = []
    for match in COMBINED.finditer(text):
        kind = PATTERNS[int(match.lastgroup[1:])][0]
        if kind in ("place", "name") and not _names_someone(match.group(0)):
            continue
        found.append(Hit(kind, match.group(0), match.start(), match.end()))
    return found


def highlighted(text: str) -> SafeString:
    """The case as HTML paragraphs, likely identifying details in <mark> with their kind."""
    parts, last = [], 0
    for hit in hits(text):
        parts.append(escape(text[last : hit.start]))
        parts.append(
            f'<mark class="identifying" title="Possible {hit.kind}">{escape(hit.text)}</mark>'
        )
        last = hit.end
    parts.append(escape(text[last:]))
    return mark_safe(linebreaks("".join(parts), autoescape=False))  # noqa: S308 (escaped above)


def _names_someone(found: str) -> bool:
    capitalised = re.findall(CAPITALISED, found)
    return bool(capitalised) and capitalised[-1].split()[0] not in HARMLESS


def kinds_found(text: str) -> list[str]:
    """Which kinds of identifying details the text seems to contain (for the coach's summary)."""
    return list(dict.fromkeys(hit.kind for hit in hits(text)))
