"""Sessions read from the cache (Redis) and written through to the database: SESSION_ENGINE
with REDIS_URL."""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseSessionStore

from . import CheckedKey


class SessionStore(CheckedKey, CachedDatabaseSessionStore):
    pass
