"""Readable word-by-word differences (painrelief/textdiff.py)."""

from painrelief.textdiff import inline_diff


def test_unchanged_paragraphs_are_folded_around_the_changes():
    before = "\n\n".join(f"Paragraph {n}." for n in range(1, 9))
    after = before.replace("Paragraph 8.", "Paragraph eight.")

    html = inline_diff(before, after)

    assert '<p class="diff-same">Paragraph 1.</p>' in html
    assert "… 5 unchanged paragraphs …" in html
    assert '<p class="diff-same">Paragraph 7.</p>' in html
    assert "Paragraph <del>8</del><ins>eight</ins>." in html


def test_added_and_removed_paragraphs_and_escaping():
    html = inline_diff("Keep.\r\n\r\nDrop <this>.", "Keep.\n\nNew & <b>bold</b>.")

    assert '<p class="diff-same">Keep.</p>' in html  # CRLF and LF are the same text
    assert "<del>Drop</del><ins>New &amp;</ins> &lt;" in html
    assert "<b>" not in html


def test_empty_texts():
    assert inline_diff("", "") == ""
    assert inline_diff("", "New.") == '<p class="diff-ins"><ins>New.</ins></p>'
