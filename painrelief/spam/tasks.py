"""Background work of the spam defence."""

from django.tasks import task

from . import akismet_backend
from .defence import Context, Submission


@task
def report_to_akismet(items: list[dict], spam: bool) -> None:
    """Tell Akismet about moderators' decisions (submit-spam / submit-ham).

    `items` are dicts with text, author, email, url, ip, user_agent and kind. Failures are
    ignored: Akismet's lesson is a courtesy, ours is already in the database.
    """
    for item in items:
        akismet_backend.teach(
            Submission(item["text"], item["author"], item["email"], item["url"]),
            Context(kind=item["kind"], ip=item["ip"], user_agent=item["user_agent"]),
            spam=spam,
        )
