"""Email-gated downloads: asking for a report, redeeming the emailed link, being forgotten."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from painrelief.counters import count_event
from painrelief.spam import defence

from . import emails
from .models import DownloadRequest, Resource

logger = logging.getLogger(__name__)

REPEAT_EMAIL_SECONDS = 5 * 60
EMAILS_PER_IP_PER_HOUR = 20


class TooManyDownloadRequests(Exception):
    pass


def consent_text(resource: Resource) -> str:
    return (
        f"Email me the download link for “{resource.title}”. {settings.SITE_NAME} keeps my "
        "address only to know who asked for this report; it is not used for comments, questions "
        "or newsletters, and I can have it deleted at any time with the link in the email."
    )


def request_download(
    *, resource: Resource, email: str, spam_context: defence.Context
) -> DownloadRequest | None:
    """Record that `email` asked for `resource`; its download link is emailed after the commit.

    Raises TooManyDownloadRequests when this IP asks too often. An address asking again within
    REPEAT_EMAIL_SECONDS gets no second email. A robot's request (see `defence.sent_by_a_robot`) is
    neither stored nor emailed: None. Held requests are emailed: there is no moderator to
    release them, and opening the emailed link is the proof that a person asked.
    """
    ip_key = f"download-requests:{spam_context.ip}"
    if count_event(ip_key, window_seconds=3600) > EMAILS_PER_IP_PER_HOUR:
        raise TooManyDownloadRequests
    verdict = defence.check(defence.Submission(text="", email=email), spam_context)
    if defence.sent_by_a_robot(verdict):
        logger.info(
            "Download request for resource %s dropped: %s", resource.pk, verdict.reason_codes()
        )
        return None
    with transaction.atomic():
        existing = (
            DownloadRequest.objects.select_for_update()
            .annotate(email_lower=Lower("email"))
            .filter(resource=resource, email_lower=email.lower())
            .first()
        )
        if existing:
            existing.requested_at = timezone.now()
            existing.consent_text = consent_text(resource)
            existing.save(update_fields=["requested_at", "consent_text"])
            download_request = existing
        else:
            download_request = DownloadRequest.objects.create(
                resource=resource, email=email, consent_text=consent_text(resource)
            )
    # One email per address and resource every few minutes: a form cannot flood an inbox.
    if cache.add(emails.sent_recently_key(resource.pk, email), 1, REPEAT_EMAIL_SECONDS):
        transaction.on_commit(lambda: emails.send_download_link.enqueue(download_request.pk))
    return download_request


def redeem_download_token(token: str) -> DownloadRequest | None:
    """The request a download link was made for, marked confirmed; None for a bad or old link."""
    download_request = emails.read_download_token(token)
    if download_request is not None and download_request.confirmed_at is None:
        download_request.confirmed_at = timezone.now()
        download_request.save(update_fields=["confirmed_at"])
    return download_request


def forget_email(*, email: str) -> int:
    """Delete every download request made with this address; returns how many were deleted."""
    deleted, _ = (
        DownloadRequest.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower=email.lower())
        .delete()
    )
    return deleted
