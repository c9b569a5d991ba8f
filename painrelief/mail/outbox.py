"""Sending email: written to the outbox, delivered, and retried with back-off when it fails.

`send()` is the only way the site sends an email. The message is stored first, under a key
that names the event (the task that wrote it and the recipient), then delivered at once. When
the mail server refuses or cannot be reached, the attempt is recorded and the next one is
queued on the task queue after a delay that doubles each time (EMAIL_RETRY_FIRST_DELAY_SECONDS,
at most EMAIL_RETRY_MAX_DELAY_SECONDS) for EMAIL_RETRY_HOURS. An email given up on is logged
at ERROR and counted on the admin index; nothing is dropped silently. Each email is delivered
once: a task that runs twice finds it sent.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.tasks import default_task_backend, task
from django.utils import timezone

from .models import OutgoingEmail

logger = logging.getLogger(__name__)


def send(message: EmailMessage, *, key: str) -> OutgoingEmail:
    """Store `message` in the outbox under `key` and try to deliver it now."""
    email, _created = OutgoingEmail.objects.get_or_create(
        key=key[:200],
        defaults={
            "to": ", ".join(message.to),
            "from_email": message.from_email or "",
            "subject": message.subject,
            "body": message.body,
            "headers": dict(message.extra_headers),
            "give_up_at": timezone.now() + timedelta(hours=settings.EMAIL_RETRY_HOURS),
        },
    )
    deliver(email.pk)
    return email


def deliver(email_id: int) -> str:
    """One attempt at delivering a stored email; its status afterwards.

    An attempt that never finished (its worker or the database gone in the middle) leaves the
    email "sending"; after EMAIL_SENDING_TIMEOUT_SECONDS `deliver_overdue` takes it over.
    """
    now = timezone.now()
    sending_timeout = timedelta(seconds=settings.EMAIL_SENDING_TIMEOUT_SECONDS)
    cut_short = Q(status=OutgoingEmail.Status.SENDING, last_attempt_at__lt=now - sending_timeout)
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id)
        .filter(Q(status=OutgoingEmail.Status.WAITING) | cut_short)
        .update(
            status=OutgoingEmail.Status.SENDING, last_attempt_at=now, attempts=F("attempts") + 1
        )
    )
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None or not claimed:
        return email.status if email else ""
    try:
        EmailMessage(
            email.subject,
            email.body,
            email.from_email or None,
            email.recipients,
            headers=email.headers,
        ).send()
    except (smtplib.SMTPException, OSError) as error:  # refused, unreachable, timed out
        return _attempt_failed(email, error)
    except Exception as error:
        # A bug of ours (a bad header, a broken backend), not the mail server: retrying would
        # fail the same way. Given up at once, with the alert, and raised for its traceback.
        _give_up(email, error)
        raise
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now(), next_attempt_at=None
    )
    return OutgoingEmail.Status.SENT


@task
def deliver_later(email_id: int) -> str:
    """The next attempt at an email that failed (queued with run_after)."""
    return deliver(email_id)


def deliver_due(*, now=None) -> int:
    """Attempt every waiting email whose time has come; how many were sent.

    The task queue does this by itself; this is for a backend that cannot wait (the
    immediate one) and for `manage.py outbox retry`.
    """
    now = now or timezone.now()
    due = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.WAITING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    return sum(deliver(pk) == OutgoingEmail.Status.SENT for pk in due.values_list("pk", flat=True))


def deliver_overdue() -> int:
    """Attempt the emails whose attempt is long overdue (its task was lost, or its worker or the
    database went away while it was sending); how many were sent. The schedule runs this every
    minute: the one way an email stuck on the way is taken over."""
    late = timezone.now() - timedelta(seconds=settings.EMAIL_SENDING_TIMEOUT_SECONDS)
    waiting = Q(status=OutgoingEmail.Status.WAITING, created_at__lt=late) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=late)
    )
    abandoned = Q(status=OutgoingEmail.Status.SENDING, last_attempt_at__lt=late)
    overdue = OutgoingEmail.objects.filter(waiting | abandoned).values_list("pk", flat=True)
    return sum(deliver(pk) == OutgoingEmail.Status.SENT for pk in overdue)


def retry_now(*, emails) -> int:
    """An operator sends waiting or failed emails again at once, with a new retry period."""
    pks = [email.pk for email in emails if email.status != OutgoingEmail.Status.SENT]
    OutgoingEmail.objects.filter(pk__in=pks).update(
        status=OutgoingEmail.Status.WAITING,
        next_attempt_at=None,
        give_up_at=timezone.now() + timedelta(hours=settings.EMAIL_RETRY_HOURS),
    )
    return sum(deliver(pk) == OutgoingEmail.Status.SENT for pk in pks)


def _attempt_failed(email: OutgoingEmail, error: Exception) -> str:
    attempts = email.attempts  # this attempt included
    delay = min(
        settings.EMAIL_RETRY_FIRST_DELAY_SECONDS * 2 ** (attempts - 1),
        settings.EMAIL_RETRY_MAX_DELAY_SECONDS,
    )
    next_attempt_at = timezone.now() + timedelta(seconds=delay)
    if email.give_up_at is None or next_attempt_at > email.give_up_at:
        return _give_up(email, error)
    reason = _reason(error)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.WAITING, last_error=reason, next_attempt_at=next_attempt_at
    )
    logger.warning(
        "Email %s not sent (attempt %s), next in %s s: %s", email.pk, attempts, delay, reason
    )
    if default_task_backend.supports_defer:
        deliver_later.using(run_after=next_attempt_at).enqueue(email.pk)
    return OutgoingEmail.Status.WAITING


def _give_up(email: OutgoingEmail, error: Exception) -> str:
    """Mark the email failed and raise the operator alert (the log, and the admin index)."""
    reason = _reason(error)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.FAILED, last_error=reason, next_attempt_at=None
    )
    # The id and subject, never the address: logs are not private.
    logger.error(
        "Email %s (%r) given up after %s attempts: %s",
        email.pk,
        email.subject,
        email.attempts,
        reason,
    )
    return OutgoingEmail.Status.FAILED


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


def forget_old_sent_emails() -> int:
    """Delivered emails are kept EMAIL_KEEP_SENT_DAYS for the record, then deleted (by the
    schedule): they carry private links."""
    cutoff = timezone.now() - timedelta(days=settings.EMAIL_KEEP_SENT_DAYS)
    old = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT, sent_at__lt=cutoff)
    return old.delete()[0]
