"""Each periodic job does its work on real rows, and keeps what is not yet due."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.core import mail
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from painrelief.accounts.models import User
from painrelief.accounts.roles import Role
from painrelief.accounts.services import (
    clear_expired_sessions,
    forget_old_login_records,
    forget_unconfirmed_accounts,
)
from painrelief.comments.models import Comment
from painrelief.mail import outbox
from painrelief.mail.models import OutgoingEmail
from painrelief.spam.services import purge_old_spam
from painrelief.worker.schedule import forget_finished_tasks
from questions.models import Question
from questions.services import purge_expired
from tests.factories import CommentFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def email(key, **fields):
    return OutgoingEmail.objects.create(
        key=key, to="anna@example.net", subject="Hi", body="Text", **fields
    )


def test_sent_emails_are_forgotten_after_email_keep_sent_days(settings):
    settings.EMAIL_KEEP_SENT_DAYS = 7
    email("old", status="sent", sent_at=ago(days=8))
    email("recent", status="sent", sent_at=ago(days=6))
    email("failed", status="failed")

    assert outbox.forget_old_sent_emails() == 1
    assert set(OutgoingEmail.objects.values_list("key", flat=True)) == {"recent", "failed"}


def test_an_email_whose_attempt_is_long_overdue_is_sent():
    """Its task was lost (the queue was away when it should have been queued)."""
    lost = email("lost", next_attempt_at=ago(minutes=20))
    OutgoingEmail.objects.filter(pk=lost.pk).update(created_at=ago(minutes=30))
    email("being sent now")  # just written: its own task delivers it

    assert outbox.deliver_overdue() == 1
    assert [m.to for m in mail.outbox] == [["anna@example.net"]]
    assert OutgoingEmail.objects.get(key="being sent now").status == "waiting"


def test_accounts_never_confirmed_with_nothing_on_the_site_are_deleted_after_a_while(settings):
    settings.UNCONFIRMED_ACCOUNT_DAYS = 14
    old = {"email_confirmed_at": None, "date_joined": ago(days=15)}
    forgotten = UserFactory(**old)
    commented = UserFactory(**old)
    CommentFactory(user=commented)
    asked = UserFactory(**old)
    QuestionFactory(user=asked)
    moderator = UserFactory(**old, role=Role.MODERATOR)
    recent = UserFactory(email_confirmed_at=None, date_joined=ago(days=13))
    confirmed = UserFactory(date_joined=ago(days=15))

    assert forget_unconfirmed_accounts() == 1

    assert not User.objects.filter(pk=forgotten.pk).exists()
    kept = [commented, asked, moderator, recent, confirmed]
    assert User.objects.filter(pk__in=[user.pk for user in kept]).count() == len(kept)


def test_expired_sessions_are_cleared():
    Session.objects.create(session_key="expired", session_data="", expire_date=ago(seconds=1))
    Session.objects.create(session_key="current", session_data="", expire_date=ago(days=-1))

    clear_expired_sessions()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]


def test_login_throttling_and_history_are_forgotten_when_due(settings):
    settings.LOGIN_HISTORY_DAYS = 30
    for name, when in (("cooled off", ago(minutes=16)), ("locked", ago(minutes=1))):
        AccessAttempt.objects.create(
            username=name, ip_address="192.0.2.1", user_agent="Firefox", failures_since_start=5
        )
        AccessAttempt.objects.filter(username=name).update(attempt_time=when)
    for name, when in (("old", ago(days=31)), ("recent", ago(days=29))):
        log = AccessLog.objects.create(username=name, ip_address="192.0.2.1", user_agent="Fx")
        AccessLog.objects.filter(pk=log.pk).update(attempt_time=when)

    counts = forget_old_login_records()

    assert counts["expired failures"] == 1 and counts["old logins"] == 1
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["locked"]
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["recent"]


def test_unanswered_questions_are_purged_after_questions_retention_days(settings):
    settings.QUESTIONS_RETENTION_DAYS = 180
    old, recent = QuestionFactory(), QuestionFactory()
    Question.objects.filter(pk=old.pk).update(created_at=ago(days=181))

    assert purge_expired() == 1
    assert list(Question.objects.all()) == [recent]


def test_spam_is_purged_after_spam_purge_days(settings):
    settings.SPAM_PURGE_DAYS = 30
    old, recent = CommentFactory(status="spam"), CommentFactory(status="spam")
    Comment.objects.filter(pk=old.pk).update(created_at=ago(days=31))

    assert purge_old_spam()["comments.Comment"] == 1
    assert list(Comment.objects.all()) == [recent]


def test_finished_tasks_are_forgotten_failed_ones_later(settings):
    settings.TASKS_KEEP_FINISHED_DAYS = 7
    for status, days in (("SUCCESSFUL", 8), ("SUCCESSFUL", 6), ("FAILED", 8), ("FAILED", 15)):
        DBTaskResult.objects.create(
            status=status,
            finished_at=ago(days=days),
            args_kwargs={"args": [], "kwargs": {}},
            task_path="painrelief.mail.outbox.deliver_later",
            backend_name="default",
            run_after=ago(days=days),
            return_value=f"{status} {days}",
        )

    assert forget_finished_tasks() == 2
    assert sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == [
        "FAILED 8",
        "SUCCESSFUL 6",
    ]
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
