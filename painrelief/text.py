"""Text from a request: cleaned of invisible characters, made fit for a database query, or
refused when it arrived damaged.

Form fields refuse NUL themselves (Django's CharField has ProhibitNullCharactersValidator);
values read straight from the request (GET parameters, URL parts, cookies, headers) pass
through `query_text` before they reach a query.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Joiners (U+200C, U+200D) are the only format characters kept: emoji and some scripts need
# them. The others reorder or hide text (bidirectional overrides, zero-width spaces).
KEPT_FORMAT_CHARACTERS = "\u200c\u200d"


def unix_newlines(text: str) -> str:
    """`text` with every line ending as "\\n": browsers send "\\r\\n" from a textarea."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class MultilineField(forms.CharField):
    """A textarea's text with "\\n" line endings, so that text sent back unchanged by a browser
    compares equal to what is stored (and is stored as the other forms store it)."""

    def to_python(self, value):
        return unix_newlines(super().to_python(value))


def clean_text(text: str) -> str:
    """The text without control, format or unassigned characters; newlines and tabs kept."""
    text = unix_newlines(text)
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


# Cyrillic, Armenian and Greek letters drawn like Latin ones (after NFKC and case folding):
# enough to tell the coach's name written with a Cyrillic C (U+0421) from the real one; not a
# full confusables table.
LOOKALIKES = str.maketrans(
    "\u0430\u0441\u0501\u0435\u04bb\u0456\u0458\u04cf\u0578\u043e\u0440\u051b\u0455"
    "\u057d\u051d\u0445\u0443\u1d22\u03b1\u03b2\u03b5\u03b9\u03ba\u03bd\u03bf\u03c1"
    "\u03c4\u03c5\u03c7",
    "acdehijlnopqsuwxyzabeikvoptux",
)


def name_skeleton(name: str) -> str:
    """What `name` looks like, for telling whether it passes for another: compatibility forms
    (fullwidth letters) made plain, case folded, Latin look-alikes of other scripts made Latin,
    whitespace and invisible characters gone."""
    folded = unicodedata.normalize("NFKC", clean_text(name)).casefold()
    return "".join(folded.translate(LOOKALIKES).split())


# PostgreSQL refuses NUL in text; a lone surrogate cannot be encoded for any database.
REFUSED_IN_TEXT = re.compile("[\x00\ud800-\udfff]")
# What Django decodes bytes that are not UTF-8 into, and browsers send for a lone surrogate.
REPLACEMENT_CHARACTER = "\ufffd"


def query_text(value: str) -> str:
    """`value` without the characters a database refuses in text (NUL, lone surrogates)."""
    return REFUSED_IN_TEXT.sub("", value)


def refuse_damaged_text(value: str) -> None:
    """Refuse text in which a character was lost on the way (it shows as U+FFFD, "�")."""
    if REPLACEMENT_CHARACTER in value:
        raise ValidationError(
            _(
                "Some characters of this text did not arrive intact (they show as �). "
                "Please retype them and send again."
            ),
            code="damaged_text",
        )


class IntactTextMixin:
    """A form whose text fields refuse damaged text with a message, the rest kept as typed.

    Bytes that are not UTF-8 reach a form as U+FFFD: stored, they would become "�" for good,
    and only the writer knows what they were.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not field.widget.is_hidden:
                field.validators.append(refuse_damaged_text)
