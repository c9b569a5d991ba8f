"""The download email: its signed links, and the task that sends it once the request is saved.

With Django's default immediate task backend it runs right after the commit. A mail server that
fails makes the task fail (logged by django.tasks), never the reader's request; the address may
then ask again at once. The task reads the request again, so a request forgotten meanwhile gets
no email.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from painrelief.mail import outbox
from painrelief.site import absolute_url
from painrelief.tokens import email_hash, email_matches

from .models import DownloadRequest

# The salts keep the names they had under articles: links in emails already sent still work.
DOWNLOAD_SALT = "articles.download"
FORGET_SALT = "articles.forget"
DOWNLOAD_LINK_MAX_AGE = 7 * 24 * 3600


# The links carry the request's id and a keyed hash of its address (painrelief.tokens).
# Links emailed before carried the address itself; they are honoured below.


def download_token(download_request: DownloadRequest) -> str:
    return signing.dumps(_request_key(download_request, DOWNLOAD_SALT), salt=DOWNLOAD_SALT)


def _request_key(download_request: DownloadRequest, salt: str) -> dict:
    return {"d": download_request.pk, "h": email_hash(download_request.email, salt=salt)}


def _request_of(data: dict, salt: str) -> DownloadRequest | None:
    download_request = (
        DownloadRequest.objects.select_related("resource").filter(pk=data.get("d")).first()
    )
    if download_request and email_matches(download_request.email, data.get("h"), salt=salt):
        return download_request
    return None


def read_download_token(token: str) -> DownloadRequest | None:
    """The request a download link was made for; None for a bad or old link."""
    try:
        data = signing.loads(token, salt=DOWNLOAD_SALT, max_age=DOWNLOAD_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("e"), str):  # the old form, (resource, email): gone within a week
        return (
            DownloadRequest.objects.select_related("resource")
            .filter(resource_id=data.get("r"), email__iexact=data["e"])
            .first()
        )
    return _request_of(data, DOWNLOAD_SALT)


def forget_token(download_request: DownloadRequest) -> str:
    return signing.dumps(_request_key(download_request, FORGET_SALT), salt=FORGET_SALT)


def email_from_forget_token(token: str) -> str | None:
    """The address a "forget me" link was made for, while anything is kept about it."""
    try:
        data = signing.loads(token, salt=FORGET_SALT)
    except signing.BadSignature:
        return None
    if isinstance(data, str):  # the old form, the address itself; these links never expire
        return data
    if not isinstance(data, dict):
        return None
    download_request = _request_of(data, FORGET_SALT)
    return download_request.email if download_request else None


def sent_recently_key(resource_id: int, email: str) -> str:
    """The cache key set while an address may not get another email about one report."""
    return f"download-email:{resource_id}:{email.lower()}"


@task(takes_context=True)
def send_download_link(context, download_request_id: int) -> None:
    download_request = (
        DownloadRequest.objects.select_related("resource").filter(pk=download_request_id).first()
    )
    if download_request is None:
        return
    resource = download_request.resource
    variables = {
        "resource": resource,
        "download_url": absolute_url(
            reverse("downloads:download", kwargs={"token": download_token(download_request)})
        ),
        "forget_url": absolute_url(
            reverse("downloads:forget-email", kwargs={"token": forget_token(download_request)})
        ),
        "link_days": DOWNLOAD_LINK_MAX_AGE // 86400,
        "SITE_NAME": settings.SITE_NAME,
    }
    message = EmailMessage(
        f"Your download: {resource.title}",
        render_to_string("downloads/emails/download.txt", variables),
        to=[download_request.email],
    )
    # A mail server that is away gets it later (the outbox retries): asking again meanwhile
    # sends nothing twice.
    outbox.send(message, key=f"{context.task_result.id}:{download_request.email}")
