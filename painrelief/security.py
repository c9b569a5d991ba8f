"""The Permissions-Policy header, and the endpoint browsers report CSP violations to.

Django sets the CSP (SECURE_CSP, whose report-uri names the endpoint below) but has no setting
for Permissions-Policy: one small middleware adds it.
"""

import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .client_ip import client_ip
from .text import clean_line

logger = logging.getLogger(__name__)


def permissions_policy(features: dict[str, list[str]]) -> str:
    """The header's value: `camera=()` for a feature turned off, `fullscreen=(self "…")`."""
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy of settings.PERMISSIONS_POLICY to every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


# --- CSP violation reports ------------------------------------------------------------------

# report-uri posts application/csp-report (some browsers say application/json); the Reporting
# API of report-to posts a list of reports as application/reports+json.
REPORT_CONTENT_TYPES = {"application/csp-report", "application/reports+json", "application/json"}
REPORT_MAX_BYTES = 16 * 1024  # a report is under 2 KB; Chromium batches a few
REPORTS_PER_IP_PER_MINUTE = 30  # a page that violates once per element could send dozens
LOGGED_VALUE_MAX_LENGTH = 200


@csrf_exempt  # browsers post reports without cookies or tokens; nothing is changed
@require_POST
@never_cache
def csp_report(request):
    """Logs each CSP violation a browser reports at WARNING; answers 204.

    Logged: the directive, the blocked address and the path of the page (its query, and the
    secret parts of private links, left out), never the sample of blocked code or who sent it.
    """
    content_type = request.content_type.lower()
    if content_type not in REPORT_CONTENT_TYPES:
        return HttpResponse(status=415)
    try:
        declared_length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if declared_length > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    key = f"csp-report:{client_ip(request)}"
    cache.add(key, 0, 60)
    if cache.incr(key) > REPORTS_PER_IP_PER_MINUTE:
        return HttpResponse(status=429)
    body = request.read(REPORT_MAX_BYTES + 1)
    if len(body) > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        violations = _violations(json.loads(body))
    except (ValueError, TypeError, AttributeError):
        return HttpResponse(status=400)
    if not violations:
        return HttpResponse(status=400)
    for violation in violations:
        logger.warning(
            "CSP violation: %(directive)s blocked %(blocked)s on %(page)s (%(disposition)s)",
            violation,
        )
    return HttpResponse(status=204)


def _violations(data) -> list[dict]:
    """The violations in a report of either format, each reduced to what is logged."""
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        report = data["csp-report"]
        return [
            _violation(
                directive=report.get("effective-directive") or report.get("violated-directive"),
                blocked=report.get("blocked-uri"),
                document=report.get("document-uri"),
                disposition=report.get("disposition"),
            )
        ]
    if isinstance(data, list):
        return [
            _violation(
                directive=body.get("effectiveDirective"),
                blocked=body.get("blockedURL"),
                document=body.get("documentURL") or item.get("url"),
                disposition=body.get("disposition"),
            )
            for item in data
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(body := item.get("body"), dict)
        ]
    return []


def _violation(*, directive, blocked, document, disposition) -> dict:
    return {
        "directive": _loggable(directive),
        "blocked": _loggable(_without_query(blocked)),
        "page": _loggable(_page_path(document)),
        "disposition": _loggable(disposition or "enforce"),
    }


def _without_query(address) -> str:
    """An address without its query and fragment; "inline", "eval" and the like as they are."""
    if not isinstance(address, str):
        return "?"
    parts = urlsplit(address)
    if not parts.scheme:
        return address
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else parts.scheme


def _page_path(address) -> str:
    """The page's path, with the secret of a private link (a signed token) replaced."""
    if not isinstance(address, str):
        return "?"
    path = urlsplit(address).path or "/"
    try:
        match = resolve(path)
    except Resolver404:
        return path
    for name in ("token", "uidb64"):
        if value := match.kwargs.get(name):
            path = path.replace(str(value), f"<{name}>")
    return path


def _loggable(value) -> str:
    """One short line: a report must not write lines of its own into the log."""
    text = clean_line(value) if isinstance(value, str) else "?"
    return text[:LOGGED_VALUE_MAX_LENGTH] or "?"
