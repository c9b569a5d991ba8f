"""Background work of the spam defence."""

from django.tasks import task

from . import akismet_backend, classifier
from .defence import Context, Submission
from .models import LearnedTotals


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


@task
def fit_classifier() -> None:
    """Fit the classifier on every learned example (queued after a decision, one at a time:
    a decision made while this runs queues the next fit)."""
    LearnedTotals.objects.filter(pk=1).update(fit_pending=False)
    classifier.fit()
