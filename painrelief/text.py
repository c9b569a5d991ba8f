"""Text from a request: made fit for a database query, or refused when it arrived damaged.

Form fields refuse NUL themselves (Django's CharField has ProhibitNullCharactersValidator);
values read straight from the request (GET parameters, URL parts, cookies, headers) pass
through `query_text` before they reach a query.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
