"""Readable differences between two texts, word by word: for the coach's article revisions and
for a question's public version beside the case."""

import re
from collections.abc import Callable
from difflib import SequenceMatcher
from itertools import groupby

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Words, runs of spaces and single punctuation marks: a diff by words reads as people edit.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_PARAGRAPHS = re.compile(r"\n\s*\n")


def lines(text: str) -> str:
    """The text with one kind of line break (browsers send CRLF) and no outer blank lines."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def changed(before: list[str], after: list[str]) -> tuple[set[int], set[int]]:
    """Which tokens of `before` were removed or changed, and which of `after` are new."""
    removed, added = set(), set()
    opcodes = SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        # A space kept between two changes belongs to the change: "<del>the crash</del>".
        between_changes = 0 < n < len(opcodes) - 1 and not "".join(before[i1:i2]).strip()
        if tag in ("delete", "replace") or (tag == "equal" and between_changes):
            removed.update(range(i1, i2))
        if tag in ("insert", "replace") or (tag == "equal" and between_changes):
            added.update(range(j1, j2))
    return removed, added


def render(parts: list[str], state_of: Callable[[int], tuple]) -> SafeString:
    """Tokens as HTML; `state_of(i)` gives (tag, title): tag wraps the token ("del", "ins" or
    ""), a title marks it as <mark title=...>. Consecutive tokens in one state wrap once."""
    html = []
    states = (state_of(i) for i in range(len(parts)))
    for (tag, title), run in groupby(zip(states, parts, strict=True), key=lambda pair: pair[0]):
        text = escape("".join(part for _, part in run)).replace("\n", "<br>")
        if title is not None:
            text = f'<mark class="identifying" title="{escape(title)}">{text}</mark>'
        if tag:
            text = f"<{tag}>{text}</{tag}>"
        html.append(text)
    return mark_safe("".join(html))  # noqa: S308 (every token and title is escaped above)


def inline_diff(before: str, after: str, *, context: int = 1) -> SafeString:
    """`after` as paragraphs, with what `before` had struck through (<del>) and what is new
    underlined (<ins>); runs of unchanged paragraphs beyond `context` are folded."""
    old = _PARAGRAPHS.split(lines(before)) if lines(before) else []
    new = _PARAGRAPHS.split(lines(after)) if lines(after) else []
    blocks = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            same = [_paragraph(text, "") for text in new[j1:j2]]
            if len(same) > 2 * context + 1:
                hidden = len(same) - 2 * context
                folded = format_html(
                    '<p class="diff-folded">… {} unchanged paragraph{} …</p>',
                    hidden,
                    "" if hidden == 1 else "s",
                )
                same = [*same[:context], folded, *same[len(same) - context :]]
            blocks.extend(same)
            continue
        was, now = "\n\n".join(old[i1:i2]), "\n\n".join(new[j1:j2])
        if not was or not now:
            blocks.append(_paragraph(was or now, "del" if was else "ins"))
            continue
        was_tokens, now_tokens = tokens(was), tokens(now)
        removed, added = changed(was_tokens, now_tokens)
        merged, states = _merge(was_tokens, now_tokens, removed, added)
        blocks.append(format_html('<p class="diff-changed">{}</p>', render(merged, states)))
    return mark_safe("".join(blocks))  # noqa: S308 (each block is built by format_html or render)


def _paragraph(text: str, tag: str) -> SafeString:
    inner = render([text], lambda i: (tag, None))
    return format_html('<p class="{}">{}</p>', f"diff-{tag or 'same'}", inner)


def _merge(before, after, removed, added):
    """One sequence of tokens reading as the new text, with the removed ones just before the
    new ones that replace them."""
    merged, tags = [], []
    i = j = 0
    while i < len(before) or j < len(after):
        if i < len(before) and i in removed:
            merged.append(before[i])
            tags.append("del")
            i += 1
        elif j < len(after) and j in added:
            merged.append(after[j])
            tags.append("ins")
            j += 1
        else:
            merged.append(after[j] if j < len(after) else before[i])
            tags.append("")
            i, j = i + 1, j + 1
    return merged, lambda n: (tags[n], None)
