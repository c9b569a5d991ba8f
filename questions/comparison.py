"""The public version beside the case as the asker wrote it, for the coach: what was cut or
changed is marked, and so is every likely identifying detail still in the public text."""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from painrelief import textdiff

from .identifying import Hit, hits


@dataclass(frozen=True)
class Comparison:
    original_html: SafeString  # deletions and changed words in <del>
    public_html: SafeString  # additions and changed words in <ins>, identifying details in <mark>
    still_identifying: list[Hit]  # likely identifying details left in the public text


def compare(original: str, public: str) -> Comparison:
    original, public = textdiff.lines(original), textdiff.lines(public)
    before, after = textdiff.tokens(original), textdiff.tokens(public)
    removed, added = textdiff.changed(before, after)
    left = hits(public)
    starts = _starts(after)

    def public_state(i):
        hit = _hit_at(left, starts[i], starts[i] + len(after[i]))
        return ("ins" if i in added else "", f"Possible {hit.kind}" if hit else None)

    return Comparison(
        original_html=textdiff.render(before, lambda i: ("del" if i in removed else "", None)),
        public_html=textdiff.render(after, public_state),
        still_identifying=left,
    )


def _starts(tokens: list[str]) -> list[int]:
    starts, at = [], 0
    for token in tokens:
        starts.append(at)
        at += len(token)
    return starts


def _hit_at(found: list[Hit], start: int, end: int) -> Hit | None:
    return next((hit for hit in found if hit.start < end and start < hit.end), None)
