"""Text from a request, made fit for a database query.

Form fields refuse NUL themselves (Django's CharField has ProhibitNullCharactersValidator);
values read straight from the request (GET parameters, URL parts, cookies, headers) pass
through `query_text` before they reach a query.
"""

import re

# PostgreSQL refuses NUL in text; a lone surrogate cannot be encoded for any database.
REFUSED_IN_TEXT = re.compile("[\x00\ud800-\udfff]")


def query_text(value: str) -> str:
    """`value` without the characters a database refuses in text (NUL, lone surrogates)."""
    return REFUSED_IN_TEXT.sub("", value)
