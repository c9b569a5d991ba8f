"""Database sessions whose key is checked before it reaches a query."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from .text import query_text


class SessionStore(DatabaseSessionStore):
    """A cookie can carry a NUL (a quoted "\\000"): such a key names no session."""

    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and query_text(key) == key
