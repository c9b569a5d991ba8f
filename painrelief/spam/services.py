"""Writes of the spam defence: what moderators' decisions teach, and who sent spam."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import classifier, tasks
from .defence import SPAM, Submission
from .models import Decision, JudgedSubmission, SpamSource


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


def already_sent(model, submission_key: str | None) -> JudgedSubmission | None:
    """The submission stored earlier with this key (see SpamGuardMixin.submission_key)."""
    if not submission_key:
        return None
    return model.objects.filter(submission_key=submission_key).first()


def save_once(judged: JudgedSubmission) -> JudgedSubmission:
    """Save a new submission, or, when the other copy of a double click was stored a moment
    earlier under the same key, return that one (the database's unique constraint decides)."""
    try:
        with transaction.atomic():
            judged.save()
    except IntegrityError:
        stored = already_sent(type(judged), judged.submission_key)
        if stored is None:
            raise
        return stored
    return judged


def remember_sender_if_spam(judged: JudgedSubmission) -> None:
    """After a new submission is saved: if the defence called it spam, remember who sent it."""
    if judged.status == judged.STATUS_OF_DECISION[SPAM]:
        email = judged.as_submission().email
        remember_spam_sources(type(judged), [(judged.pk, email, judged.ip_address)])


def forget_spam_sources(model, ids: Sequence[int]) -> None:
    content_type = ContentType.objects.get_for_model(model)
    SpamSource.objects.filter(content_type=content_type, object_id__in=ids).delete()


@dataclass(frozen=True)
class Decided:
    """A submission whose status was just changed, as the spam defence needs to see it."""

    pk: int
    from_status: str
    submission: Submission
    taught_as: str  # what the filter already learned it as: "spam", "ham" or ""
    ip: str | None
    user_agent: str = ""
    teaches: bool = True  # the coach's and moderators' own texts teach nothing

    @classmethod
    def of(cls, judged: JudgedSubmission, *, from_status: str, teaches: bool = True) -> "Decided":
        return cls(
            pk=judged.pk,
            from_status=from_status,
            submission=judged.as_submission(),
            taught_as=judged.taught_as,
            ip=judged.ip_address,
            user_agent=judged.user_agent,
            teaches=teaches,
        )


def record_moderation(
    model, decided: Sequence[Decided], *, to_status: str, verdict: str, moderator=None
) -> None:
    """What a status change means to the spam defence, inside the caller's transaction.

    `verdict` is "spam", "ham" or "" (a hold or a removal judges nothing). Spam senders are
    remembered, and forgotten when approved. A moderator's decision is recorded and, with a
    verdict, teaches the filter (a reversed decision takes the old lesson back) and, after
    the commit, Akismet when it is configured.
    """
    if verdict == "spam":
        remember_spam_sources(model, [(d.pk, d.submission.email, d.ip) for d in decided])
    elif verdict == "ham":
        forget_spam_sources(model, [d.pk for d in decided])
    if moderator is None or not decided:
        return
    content_type = ContentType.objects.get_for_model(model)
    Decision.objects.bulk_create(
        Decision(
            content_type=content_type,
            object_id=d.pk,
            moderator=moderator,
            from_status=d.from_status,
            to_status=to_status,
            taught=verdict,
        )
        for d in decided
    )
    learners = [d for d in decided if d.teaches]
    if not verdict or not learners:
        return
    for old in {"spam", "ham"} - {verdict}:
        classifier.learn(
            [d.submission for d in learners if d.taught_as == old], label=old, forget=True
        )
    classifier.learn([d.submission for d in learners if d.taught_as != verdict], label=verdict)
    model.objects.filter(pk__in=[d.pk for d in learners]).update(taught_as=verdict)
    if settings.AKISMET_API_KEY:
        payload = [
            {
                "text": d.submission.text,
                "author": d.submission.author,
                "email": d.submission.email,
                "url": d.submission.url,
                "ip": d.ip,
                "user_agent": d.user_agent,
                "kind": model.SPAM_KIND,
            }
            for d in learners
        ]
        transaction.on_commit(lambda: tasks.report_to_akismet.enqueue(payload, verdict == "spam"))


def purge_old_spam(*, days: int | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete spam older than `days` (SPAM_PURGE_DAYS) of every moderated model; the counts."""
    cutoff = timezone.now() - timedelta(days=settings.SPAM_PURGE_DAYS if days is None else days)
    counts = {}
    for label in settings.SPAM_MODERATED_MODELS:
        old_spam = apps.get_model(label).objects.filter(status=SPAM, created_at__lt=cutoff)
        counts[label] = old_spam.count() if dry_run else old_spam.delete()[0]
    return counts
