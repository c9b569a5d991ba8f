"""Sessions whose key is checked before it reaches a query: in the database (this module, the
default engine) or read from Redis and written through to the database (`cached_db`)."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from painrelief.text import query_text


class CheckedKey:
    """A cookie can carry a NUL (a quoted "\\000"): such a key names no session."""

    def _validate_session_key(self, key):
        return super()._validate_session_key(key) and query_text(key) == key


class SessionStore(CheckedKey, DatabaseSessionStore):
    pass
