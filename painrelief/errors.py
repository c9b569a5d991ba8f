"""Error pages: an outage of the database is a 503 that gives back what the reader sent.

Django calls the 500 handler for any exception no view or middleware handled, inside the
`except` block, so the exception is still at hand. The pages are rendered without context
processors: they must not need the database that just failed (sessions, the user, messages).
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 30
# What is never written back into a page: secrets, and the form's own machinery.
NOT_KEPT = ("csrfmiddlewaretoken", "password", "password1", "password2", "old_password")


def server_error(request):
    """The 500 handler: a database outage becomes a 503 with Retry-After; the rest, a 500."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return service_unavailable(request)
    return HttpResponseServerError(render_to_string("500.html"))


def service_unavailable(request) -> HttpResponse:
    """Say so, ask to retry, and on a form post keep everything the reader typed.

    The kept fields are sent again by the page's button, to the same address and with the
    same form stamp, so a post that did reach the database before it failed is not stored
    twice (SpamGuardMixin.submission_key).
    """
    kept = []
    if request.method == "POST":
        kept = [
            (name, value)
            for name, values in request.POST.lists()
            if not name.startswith(NOT_KEPT)
            for value in values
        ]
    context = {
        "kept": kept,
        "typed": [(name, value) for name, value in kept if len(value) > 40 or "\n" in value],
        "action": request.get_full_path(),
        "csrf_token": get_token(request) if kept else "",
        "retry_after": RETRY_AFTER_SECONDS,
    }
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
