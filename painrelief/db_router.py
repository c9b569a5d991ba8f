"""Where reads go: anonymous public reads to the read replica, everything else to the primary.

The primary is the default. Only a request that `ReplicaReadsMiddleware` lets through reads
from the replica: a GET or HEAD by a visitor who is not signed in and has not just written
(the signed "just wrote" cookie it sets on the answer to any POST, for REPLICA_PIN_SECONDS).
A replica lags a little behind; these rules keep anyone from missing their own write. The
admin (signed in), the task worker, management commands and migrations never pass the
middleware's test, so they use the primary; migrations never run on the replica.

When the replica cannot be reached, the request is answered from the primary and the process
leaves the replica alone for REPLICA_RETRY_SECONDS: an outage of the replica costs speed, not
pages.
"""

import contextvars
import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

PIN_COOKIE = "wrote"
PIN_SALT = "painrelief.db_router.pin"

_reads_from = contextvars.ContextVar("reads_from", default=DEFAULT_DB_ALIAS)
# Until when (time.monotonic()) this process reads from the primary: the replica failed.
_replica_down_until = 0.0


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
        if (
            request.method in ("GET", "HEAD")
            and time.monotonic() >= _replica_down_until
            and not (_signed_in(request) or _just_wrote(request))
        ):
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

    def process_exception(self, request, exception):
        """The replica failed this request: it is answered again from the primary (a GET or
        HEAD, which changes nothing), and the replica left alone for a while."""
        replica = settings.READ_REPLICA
        if not (
            replica
            and _reads_from.get() == replica
            and isinstance(exception, (OperationalError, InterfaceError))
        ):
            return None
        global _replica_down_until
        _replica_down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        logger.warning(
            "The read replica failed (%s): reads go to the primary for %s s",
            exception,
            settings.REPLICA_RETRY_SECONDS,
        )
        connections[replica].close_if_unusable_or_obsolete()
        _reads_from.set(DEFAULT_DB_ALIAS)
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        if callable(getattr(response, "render", None)):
            response = response.render()
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
