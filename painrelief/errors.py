"""Error pages: a request we cannot read is a 400 that says why; an outage of the database is a
503 that gives back what the reader sent.

Django calls the 500 handler for any exception no view or middleware handled, inside the
`except` block, so the exception is still at hand. The pages are rendered without context
processors: they must not need the database that just failed (sessions, the user, messages).
"""

import codecs
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import get_token
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

FORM = "application/x-www-form-urlencoded"  # always UTF-8 (Django refuses any other charset)
RETRY_AFTER_SECONDS = 30
# What is never written back into a page: secrets, and the form's own machinery.
NOT_KEPT = ("csrfmiddlewaretoken", "password", "password1", "password2", "old_password")


def bad_request(request, exception=None):
    """The 400 handler: our page, with the reason in plain words.

    Unlike Django's, it is not wrapped in `requires_csrf_token` and never reads the body: a
    body that could not be read (another charset than UTF-8, too large) would raise again.
    """
    context = {"reason": bad_request_reason(request, exception), "SITE_NAME": settings.SITE_NAME}
    return HttpResponseBadRequest(render_to_string("400.html", context))


def bad_request_reason(request, exception) -> str:
    """Why Django refused this request, in words a reader understands."""
    if isinstance(exception, RequestDataTooBig):
        return _(
            "What you sent is larger than we accept (%(limit)s at most). If you pasted a very "
            "long text, please shorten it."
        ) % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    if isinstance(exception, TooManyFieldsSent):
        return _("The form had more fields than we accept (%(limit)s at most).") % {
            "limit": f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,}"
        }
    if isinstance(exception, TooManyFilesSent):
        return _("The form had more files than we accept (%(limit)s at most).") % {
            "limit": f"{settings.DATA_UPLOAD_MAX_NUMBER_FILES:,}"
        }
    if request.content_type == FORM and codecs.lookup(request.encoding or "utf-8").name != "utf-8":
        return _(
            "Your browser sent the form in a text encoding we do not read (%(encoding)s); "
            "we read UTF-8 only."
        ) % {"encoding": request.encoding}
    if isinstance(exception, MultiPartParserError):
        return _("The form arrived incomplete or damaged, so we could not read it.")
    return _("Your browser sent a request we could not understand.")


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
