"""The admin index's figures of how the spam defence agrees with moderators, and its drift
warning (issue 13, item 4)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from painrelief.spam.quality import filter_quality
from tests.factories import CommentFactory, QuestionFactory, moderator

# The filter as installed: the starter corpus learned.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("starter_filter")]


@pytest.fixture
def as_moderator(client):
    client.force_login(moderator())
    return client


def decide(client, comment, verdict):
    client.post(reverse("admin:comments_comment_decide", args=[comment.pk, verdict]))


def flagged(**kwargs):
    return CommentFactory(status="pending", spam_verdict="hold", **kwargs)


def passed(**kwargs):
    return CommentFactory(status="approved", spam_verdict="approve", **kwargs)


def test_verdicts_are_measured_against_moderators_decisions(as_moderator):
    held_spam, held_ham, marked_spam = flagged(), flagged(), flagged()
    decide(as_moderator, held_spam, "spam")
    decide(as_moderator, marked_spam, "spam")
    decide(as_moderator, held_ham, "ham")
    passed_ham = [passed() for _ in range(3)]
    decide(as_moderator, passed(), "spam")  # missed by the filter
    flagged()  # not judged yet
    QuestionFactory(status="spam", spam_verdict="spam", taught_as="spam")
    long_ago = flagged(created_at=timezone.now() - timedelta(days=40))
    decide(as_moderator, long_ago, "ham")
    assert all(c.spam_verdict == "approve" for c in passed_ham)

    quality = filter_quality(days=30)

    assert (quality.caught, quality.false_alarms, quality.missed) == (3, 1, 1)
    assert (quality.passed, quality.awaiting) == (3, 1)
    assert quality.precision == pytest.approx(3 / 4)
    assert quality.recall == pytest.approx(3 / 4)
    assert quality.false_positive_rate == pytest.approx(1 / 4)


def test_no_decisions_give_no_figures():
    quality = filter_quality()

    assert quality.precision is None and quality.recall is None
    assert quality.false_positive_rate is None
    assert quality.warnings == []


def test_the_admin_index_shows_the_figures_and_no_warning_when_all_is_well(as_moderator):
    decide(as_moderator, flagged(), "spam")
    for _ in range(4):
        passed()

    html = as_moderator.get(reverse("admin:index")).text

    assert "How the spam defence did" in html
    assert "100.0%" in html  # precision and recall: 1 of 1
    assert "errornote" not in html.split('id="spam-quality"')[1]


def test_many_not_spam_reversals_warn_of_drift(as_moderator, settings):
    settings.SPAM_DRIFT_MIN_REVERSALS = 3
    settings.SPAM_TARGET_FPR = 0.01
    for _ in range(3):
        decide(as_moderator, flagged(), "ham")
    for _ in range(20):
        passed()

    html = as_moderator.get(reverse("admin:index")).text
    quality_block = html.split('id="spam-quality"')[1]

    assert "Moderators approved 3 submissions the spam defence flagged" in quality_block
    assert "13.0% of real readers" in quality_block


def test_missed_spam_warns_of_drift(as_moderator, settings):
    settings.SPAM_DRIFT_MIN_REVERSALS = 3
    for _ in range(3):
        decide(as_moderator, passed(), "spam")
    decide(as_moderator, flagged(), "spam")

    warnings = filter_quality().warnings

    assert len(warnings) == 1
    assert "caught only 25% of the spam" in warnings[0]


def test_shadow_mode_says_what_it_would_have_done(as_moderator, settings):
    settings.SPAM_SHADOW_MODE = True

    html = as_moderator.get(reverse("admin:index")).text

    assert "What the spam defence would have done" in html
