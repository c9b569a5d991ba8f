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

from .models import DownloadRequest

# The salts keep the names they had under articles: links in emails already sent still work.
DOWNLOAD_SALT = "articles.download"
FORGET_SALT = "articles.forget"
DOWNLOAD_LINK_MAX_AGE = 7 * 24 * 3600


def download_token(download_request: DownloadRequest) -> str:
    data = {"r": download_request.resource_id, "e": download_request.email}
    return signing.dumps(data, salt=DOWNLOAD_SALT)


def read_download_token(token: str) -> tuple[int, str] | None:
    """The (resource id, email) a download link was made for; None for a bad or old link."""
    try:
        data = signing.loads(token, salt=DOWNLOAD_SALT, max_age=DOWNLOAD_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        return None
    return data.get("r"), data["e"]


def forget_token(email: str) -> str:
    return signing.dumps(email.lower(), salt=FORGET_SALT)


def email_from_forget_token(token: str) -> str | None:
    try:
        email = signing.loads(token, salt=FORGET_SALT)
    except signing.BadSignature:
        return None
    return email if isinstance(email, str) else None


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
            reverse(
                "downloads:forget-email", kwargs={"token": forget_token(download_request.email)}
            )
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
