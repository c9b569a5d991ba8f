"""IP addresses and browsers are kept TRACE_RETENTION_DAYS, then erased by a daily job."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from painrelief import privacy
from painrelief.comments.models import Comment
from painrelief.spam.models import SpamSource
from questions.models import Question
from tests.factories import CommentFactory, CommentReportFactory, QuestionFactory

pytestmark = pytest.mark.django_db

TRACES = {"ip_address": "203.0.113.9", "user_agent": "Firefox/140.0"}


def make_rows(days_ago: int, label: str):
    when = timezone.now() - timedelta(days=days_ago)
    CommentFactory(created_at=when, body=f"{label} comment", **TRACES)
    QuestionFactory(created_at=when, title=f"{label} question", **TRACES)


def traces_of(label: str) -> set:
    rows = [Comment.objects.get(body=f"{label} comment")]
    rows.append(Question.objects.get(title=f"{label} question"))
    return {(row.ip_address, row.user_agent) for row in rows}


def test_traces_older_than_the_period_are_erased_and_recent_ones_kept(settings):
    settings.TRACE_RETENTION_DAYS = 30
    make_rows(31, "old")
    make_rows(29, "recent")  # the spam defence and the same-address queue still read these

    erased = privacy.erase_old_traces()

    assert erased == {
        "comments": 1,
        "questions": 1,
        "guest reporters of comments": 0,
        "spam sender records": 0,
    }
    assert traces_of("old") == {(None, "")}
    assert traces_of("recent") == {("203.0.113.9", "Firefox/140.0")}
    assert set(privacy.erase_old_traces().values()) == {0}  # nothing twice


def test_the_command_counts_with_dry_run_and_erases_without():
    make_rows(40, "old")
    out = StringIO()

    call_command("questions", "erase-traces", "--dry-run", stdout=out)
    assert traces_of("old") == {("203.0.113.9", "Firefox/140.0")}
    call_command("questions", "erase-traces", "--days", "35", stdout=out)

    assert traces_of("old") == {(None, "")}
    assert "would erase on 1 comments, 1 questions" in out.getvalue()
    assert "older than 35 days: erased on 1 comments, 1 questions" in out.getvalue()


def test_spam_senders_are_forgotten_after_the_spam_history_period(settings):
    """The defence holds a sender's next submissions for SPAM_HISTORY_DAYS, no longer."""
    settings.SPAM_HISTORY_DAYS = 180
    question_type = ContentType.objects.get_for_model(Question)
    for pk, days_ago in [(1, 181), (2, 179)]:
        source = SpamSource.objects.create(
            content_type=question_type, object_id=pk, email=f"s{pk}@example.net"
        )
        created = timezone.now() - timedelta(days=days_ago)
        SpamSource.objects.filter(pk=source.pk).update(created_at=created)

    assert privacy.erase_old_traces()["spam sender records"] == 1
    assert list(SpamSource.objects.values_list("email", flat=True)) == ["s2@example.net"]


def test_guest_reporters_address_digests_are_erased_after_the_period(settings):
    """A guest reporter is a digest of their IP address: kept as long as the address itself."""
    settings.TRACE_RETENTION_DAYS = 30
    old = CommentReportFactory(created_at=timezone.now() - timedelta(days=31))
    recent = CommentReportFactory(created_at=timezone.now() - timedelta(days=29))

    assert privacy.erase_old_traces()["guest reporters of comments"] == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.guest_key, old.reason) == ("", "spam")  # the report itself stays
    assert recent.guest_key != ""
