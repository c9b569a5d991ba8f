"""Email-gated downloads: asking for a report, redeeming the emailed link, being forgotten."""

import logging
import smtplib

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import DownloadRequest, Resource

logger = logging.getLogger(__name__)

# The salts keep the names they had under articles: links in emails already sent still work.
DOWNLOAD_SALT = "articles.download"
FORGET_SALT = "articles.forget"
DOWNLOAD_LINK_MAX_AGE = 7 * 24 * 3600
REPEAT_EMAIL_SECONDS = 5 * 60
EMAILS_PER_IP_PER_HOUR = 20


class DownloadEmailNotSent(Exception):
    """The mail server refused or could not be reached; the request itself was saved."""


class TooManyDownloadRequests(Exception):
    pass


def consent_text(resource: Resource) -> str:
    return (
        f"Email me the download link for “{resource.title}”. {settings.SITE_NAME} keeps my "
        "address only to know who asked for this report; it is not used for comments, questions "
        "or newsletters, and I can have it deleted at any time with the link in the email."
    )


def request_download(*, resource: Resource, email: str, ip: str, request) -> DownloadRequest:
    """Record that `email` asked for `resource` and email it the download link.

    Raises TooManyDownloadRequests when this IP asks too often, DownloadEmailNotSent when the
    mail server fails (the request is kept, so asking again later works).
    """
    ip_key = f"download-requests:{ip}"
    cache.add(ip_key, 0, 3600)
    if cache.incr(ip_key) > EMAILS_PER_IP_PER_HOUR:
        raise TooManyDownloadRequests
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
    if cache.add(f"download-email:{resource.pk}:{email.lower()}", 1, REPEAT_EMAIL_SECONDS):
        _send_download_email(download_request, request)
    return download_request


def _send_download_email(download_request: DownloadRequest, request) -> None:
    resource = download_request.resource
    token = signing.dumps({"r": resource.pk, "e": download_request.email}, salt=DOWNLOAD_SALT)
    context = {
        "resource": resource,
        "download_url": request.build_absolute_uri(
            reverse("downloads:download", kwargs={"token": token})
        ),
        "forget_url": request.build_absolute_uri(
            reverse(
                "downloads:forget-email", kwargs={"token": forget_token(download_request.email)}
            )
        ),
        "link_days": DOWNLOAD_LINK_MAX_AGE // 86400,
        "SITE_NAME": settings.SITE_NAME,
    }
    try:
        send_mail(
            subject=f"Your download: {resource.title}",
            message=render_to_string("downloads/emails/download.txt", context),
            from_email=None,
            recipient_list=[download_request.email],
        )
    except (smtplib.SMTPException, OSError) as error:
        cache.delete(f"download-email:{resource.pk}:{download_request.email.lower()}")
        logger.warning("Download email to request %s failed: %s", download_request.pk, error)
        raise DownloadEmailNotSent from error


def forget_token(email: str) -> str:
    return signing.dumps(email.lower(), salt=FORGET_SALT)


def redeem_download_token(token: str) -> DownloadRequest | None:
    """The request a download link was made for, marked confirmed; None for a bad or old link."""
    try:
        data = signing.loads(token, salt=DOWNLOAD_SALT, max_age=DOWNLOAD_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    download_request = (
        DownloadRequest.objects.select_related("resource")
        .annotate(email_lower=Lower("email"))
        .filter(resource_id=data["r"], email_lower=data["e"].lower())
        .first()
    )
    if download_request is not None and download_request.confirmed_at is None:
        download_request.confirmed_at = timezone.now()
        download_request.save(update_fields=["confirmed_at"])
    return download_request


def email_from_forget_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=FORGET_SALT)
    except signing.BadSignature:
        return None


def forget_email(*, email: str) -> int:
    """Delete every download request made with this address; returns how many were deleted."""
    deleted, _ = (
        DownloadRequest.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower=email.lower())
        .delete()
    )
    return deleted
