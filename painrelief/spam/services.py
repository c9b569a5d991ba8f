"""Writes of the spam defence: teaching the classifier from decisions, remembering spammers."""

from collections.abc import Sequence

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from . import classifier, tasks
from .defence import Context
from .models import Decision, SpamSource
from .tokens import Submission


def remember_spam_sources(model, rows: Sequence[tuple[int, str, str | None]]) -> None:
    """Remember who sent spam: rows of (object id, email, IP address)."""
    content_type = ContentType.objects.get_for_model(model)
    SpamSource.objects.bulk_create(
        [
            SpamSource(content_type=content_type, object_id=pk, email=email.lower(), ip=ip)
            for pk, email, ip in rows
        ],
        ignore_conflicts=True,
    )


def forget_spam_sources(model, ids: Sequence[int]) -> None:
    content_type = ContentType.objects.get_for_model(model)
    SpamSource.objects.filter(content_type=content_type, object_id__in=ids).delete()


def report_to_akismet(items: Sequence[tuple[Submission, Context]], *, label: str) -> None:
    """After the commit, pass moderators' decisions on to Akismet when it is configured."""
    if not settings.AKISMET_API_KEY or not items:
        return
    payload = [
        {"text": s.text, "author": s.author, "email": s.email, "url": s.url,
         "ip": c.ip, "user_agent": c.user_agent, "kind": c.kind}
        for s, c in items
    ]  # fmt: skip
    transaction.on_commit(lambda: tasks.report_to_akismet.enqueue(payload, label == "spam"))


@transaction.atomic
def teach(items: Sequence[tuple[Submission, str]], *, label: str) -> None:
    """Teach the classifier that these submissions are `label` ("spam" or "ham").

    `items` pairs each submission with what it was taught as before ("" for nothing): a
    reversed decision first takes the old lesson back.
    """
    for old_label in ("spam", "ham"):
        if old_label != label:
            classifier.learn(
                [s for s, taught in items if taught == old_label], label=old_label, forget=True
            )
    classifier.learn([s for s, taught in items if taught != label], label=label)


def record_decisions(model, rows: Sequence[tuple[int, str]], *, to_status: str, moderator,
                     taught: str = "") -> None:  # fmt: skip
    """Keep who changed which submission from what status to what."""
    content_type = ContentType.objects.get_for_model(model)
    Decision.objects.bulk_create(
        [
            Decision(
                content_type=content_type,
                object_id=pk,
                moderator=moderator,
                from_status=from_status,
                to_status=to_status,
                taught=taught,
            )
            for pk, from_status in rows
        ]
    )
