"""Where reads go: anonymous public reads to the read replica, everything else to the primary.

The primary is the default. Only a request that `ReplicaReadsMiddleware` lets through reads
from the replica: a GET or HEAD by a visitor who is not signed in and has not just written
(the signed "just wrote" cookie it sets on the answer to any POST, for REPLICA_PIN_SECONDS).
A replica lags a little behind; these rules keep anyone from missing their own write. The
admin (signed in), the task worker, management commands and migrations never pass the
middleware's test, so they use the primary; migrations never run on the replica.
"""

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS

PIN_COOKIE = "wrote"
PIN_SALT = "painrelief.db_router.pin"

_reads_from = contextvars.ContextVar("reads_from", default=DEFAULT_DB_ALIAS)


@contextmanager
def replica_reads():
    """Within the block, reads go to the read replica (when one is set) until the first write."""
    token = _reads_from.set(settings.READ_REPLICA or DEFAULT_DB_ALIAS)
    try:
        yield
    finally:
        _reads_from.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return _reads_from.get()

    def db_for_write(self, model, **hints):
        # A request that writes reads its own write back: from the primary, from now on.
        _reads_from.set(DEFAULT_DB_ALIAS)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Lets anonymous GET and HEAD requests read from the replica; pins writers to the primary.

    Only answers to unsafe methods carry the cookie: anonymous pages stay cookie-free.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.READ_REPLICA:
            return self.get_response(request)
        if request.method in ("GET", "HEAD") and not (_signed_in(request) or _just_wrote(request)):
            with replica_reads():
                response = self.get_response(request)
        else:
            response = self.get_response(request)
            if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
                response.set_signed_cookie(
                    PIN_COOKIE,
                    "1",
                    salt=PIN_SALT,
                    max_age=settings.REPLICA_PIN_SECONDS,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        return response


def _signed_in(request) -> bool:
    # Without a session cookie nobody is signed in: asking request.user would open the session
    # for nothing and make the answer "Vary: Cookie". With one, the session is read from the
    # primary (this runs before the switch): a session just made may not be on the replica.
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def _just_wrote(request) -> bool:
    try:
        request.get_signed_cookie(PIN_COOKIE, salt=PIN_SALT, max_age=settings.REPLICA_PIN_SECONDS)
    except (KeyError, signing.BadSignature):  # absent, forged, or older than the pin
        return False
    return True
