"""Emails to askers: a subject and a private link, never the case or the answer."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string

SUBJECTS = {
    "received": "We received your question",
    "answered": "The coach has answered your question",
    "consent": "Please check the public version of your question",
    "declined": "About your question",
}


@task
def send(kind: str, to: str, private_url: str) -> None:
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "private_url": private_url,
        "days": settings.QUESTIONS_LINK_MAX_AGE_DAYS,
    }
    body = render_to_string(f"questions/emails/{kind}.txt", context)
    EmailMessage(f"{SUBJECTS[kind]} · {settings.SITE_NAME}", body, to=[to]).send()
