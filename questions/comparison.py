"""The public version beside the case as the asker wrote it, for the coach: what was cut or
changed is marked, and so is every likely identifying detail still in the public text."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import groupby

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .identifying import Hit, hits

# Words, runs of spaces and single punctuation marks: a diff by words reads as people edit.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Comparison:
    original_html: SafeString  # deletions and changed words in <del>
    public_html: SafeString  # additions and changed words in <ins>, identifying details in <mark>
    still_identifying: list[Hit]  # likely identifying details left in the public text


def compare(original: str, public: str) -> Comparison:
    original, public = _lines(original), _lines(public)
    before, after = _TOKEN.findall(original), _TOKEN.findall(public)
    removed, added = set(), set()
    opcodes = SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        # A space kept between two changes belongs to the change: "<del>the crash</del>".
        between_changes = 0 < n < len(opcodes) - 1 and not "".join(before[i1:i2]).strip()
        if tag == "equal" and between_changes:
            tag = "replace"
        if tag in ("delete", "replace"):
            removed.update(range(i1, i2))
        if tag in ("insert", "replace"):
            added.update(range(j1, j2))
    left = hits(public)
    starts = _starts(after)

    def public_state(i):
        return ("ins" if i in added else "", _hit_at(left, starts[i], starts[i] + len(after[i])))

    return Comparison(
        original_html=_render(before, lambda i: ("del" if i in removed else "", None)),
        public_html=_render(after, public_state),
        still_identifying=left,
    )


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _starts(tokens: list[str]) -> list[int]:
    starts, at = [], 0
    for token in tokens:
        starts.append(at)
        at += len(token)
    return starts


def _hit_at(found: list[Hit], start: int, end: int) -> Hit | None:
    return next((hit for hit in found if hit.start < end and start < hit.end), None)


def _render(tokens: list[str], state_of) -> SafeString:
    """Tokens as HTML, consecutive tokens in the same state wrapped once."""
    html = []
    states = (state_of(i) for i in range(len(tokens)))
    for (change, hit), run in groupby(zip(states, tokens, strict=True), key=lambda pair: pair[0]):
        text = escape("".join(token for _, token in run)).replace("\n", "<br>")
        if hit is not None:
            text = f'<mark class="identifying" title="Possible {hit.kind}">{text}</mark>'
        if change:
            text = f"<{change}>{text}</{change}>"
        html.append(text)
    return mark_safe("".join(html))  # noqa: S308 (every token is escaped above)
