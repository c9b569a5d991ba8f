"""Akismet, used only when AKISMET_API_KEY is set: a second opinion with a short timeout.

When Akismet fails (network, timeout, bad key), `Unavailable` is raised and the local layers
decide alone; nothing is lost.
"""

from typing import TYPE_CHECKING

import akismet
import httpx
from django.conf import settings

if TYPE_CHECKING:
    from .defence import Context, Submission

# A download request leaves an address to be emailed, as a newsletter sign-up does.
KIND_TO_AKISMET_TYPE = {
    "comment": "comment",
    "question": "contact-form",
    "signup": "signup",
    "download": "signup",
}


class Unavailable(Exception):
    pass


def client() -> akismet.SyncClient:
    return akismet.SyncClient(
        config=akismet.Config(key=settings.AKISMET_API_KEY, url=settings.AKISMET_SITE_URL),
        http_client=httpx.Client(timeout=settings.AKISMET_TIMEOUT_SECONDS),
    )


def _arguments(submission: "Submission", context: "Context") -> dict:
    return {
        "user_ip": context.ip or "",
        "user_agent": context.user_agent,
        "comment_type": KIND_TO_AKISMET_TYPE.get(context.kind, "comment"),
        "comment_author": submission.author,
        "comment_author_email": submission.email,
        "comment_author_url": submission.url,
        "comment_content": submission.text,
    }


def comment_check(submission: "Submission", context: "Context") -> bool:
    """Whether Akismet calls it spam; raises Unavailable when it cannot say."""
    try:
        with client() as akismet_client:
            result = akismet_client.comment_check(**_arguments(submission, context))
    except (akismet.AkismetError, httpx.HTTPError, OSError) as error:
        raise Unavailable(str(error)) from error
    return result != akismet.CheckResponse.HAM


def teach(submission: "Submission", context: "Context", *, spam: bool) -> None:
    """Tell Akismet about a moderator's decision; failures are ignored (it is a courtesy)."""
    try:
        with client() as akismet_client:
            send = akismet_client.submit_spam if spam else akismet_client.submit_ham
            send(**_arguments(submission, context))
    except (akismet.AkismetError, httpx.HTTPError, OSError):
        return
