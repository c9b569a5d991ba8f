"""The moderators' queue in the admin: counts, decisions that teach, bulk actions, the record."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from painrelief.comments import services as comment_services
from painrelief.comments.models import Comment
from painrelief.spam import classifier
from painrelief.spam.defence import Submission
from painrelief.spam.models import Decision, SpamSource
from questions.models import Question
from tests.factories import ArticleFactory, CommentFactory, UserFactory, coach, moderator

# The filter as installed: the starter corpus learned.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("starter_filter")]

CHANGELIST = reverse("admin:comments_comment_changelist")


def decide_url(comment, verdict):
    return reverse("admin:comments_comment_decide", args=[comment.pk, verdict])


@pytest.fixture
def as_moderator(client):
    user = moderator()
    client.force_login(user)
    client.user = user
    return client


def spamminess(text):
    return classifier.score(Submission(text)).probability


def test_the_admin_index_shows_what_waits(as_moderator):
    CommentFactory.create_batch(2, status="pending")
    CommentFactory(status="spam")

    html = as_moderator.get(reverse("admin:index")).text

    assert "Waiting for moderation" in html
    assert "2 awaiting moderation" in html and "1 spam" in html
    assert f"{CHANGELIST}?status__exact=pending" in html


def test_rows_show_score_reasons_page_and_author_history(as_moderator):
    article = ArticleFactory(title="Neck knots")
    CommentFactory.create_batch(2, target=article, email="maria@post.example")
    CommentFactory(
        target=article,
        email="Maria@post.example",
        status="pending",
        spam_score=0.73,
        reasons=[
            {
                "code": "classifier-unsure",
                "text": "may be spam (0.73: casino)",
                "severity": "hold",
                "kind": "content",
            }
        ],
        reason_codes="classifier-unsure",
    )

    html = as_moderator.get(CHANGELIST, {"status__exact": "pending"}).text

    assert "0.73" in html and "may be spam (0.73: casino)" in html
    assert "Neck knots" in html
    assert "2 approved, 0 spam" in html


def test_not_spam_approves_teaches_the_filter_and_records_who_decided(
    as_moderator, django_capture_on_commit_callbacks
):
    text = "Zorblax quintessence helped my shoulder knot more than anything else."
    held = CommentFactory(status="pending", approved_at=None, body=text, email="g@post.example")
    before = spamminess("zorblax quintessence")

    with django_capture_on_commit_callbacks(execute=True):
        response = as_moderator.post(decide_url(held, "ham"))

    held.refresh_from_db()
    assert response.status_code == 302
    assert held.status == "approved" and held.taught_as == "ham"
    assert spamminess("zorblax quintessence") < before
    decision = Decision.objects.get()
    assert (decision.moderator, decision.from_status, decision.to_status, decision.taught) == (
        as_moderator.user,
        "pending",
        "approved",
        "ham",
    )
    assert [m.to for m in mail.outbox] == [["g@post.example"]]  # the held guest is told


def test_spam_hides_teaches_and_remembers_the_sender(as_moderator):
    comment = CommentFactory(
        body="Qwerbly flarn tonic for sale at a discount today only.",
        email="seller@shop.example",
        ip_address="198.51.100.4",
    )
    before = spamminess("qwerbly flarn tonic")

    as_moderator.post(decide_url(comment, "spam"), follow=True)

    comment.refresh_from_db()
    assert comment.status == "spam" and comment.taught_as == "spam"
    assert spamminess("qwerbly flarn tonic") > before
    assert SpamSource.objects.filter(email="seller@shop.example", ip="198.51.100.4").exists()
    assert comment.body not in as_moderator.get(comment.target.get_absolute_url()).text


def test_reversing_a_decision_takes_the_old_lesson_back(as_moderator):
    comment = CommentFactory(body="Plimbo gravel soup for neck pain, really.")
    as_moderator.post(decide_url(comment, "spam"))
    taught_spam = classifier.totals()

    as_moderator.post(decide_url(comment, "ham"))

    assert classifier.totals() == (taught_spam[0] - 1, taught_spam[1] + 1)
    assert not SpamSource.objects.exists()


@pytest.mark.parametrize(
    ("action", "matching"),
    [
        ("spam_same_author", {"email": "same@author.example"}),
        ("spam_same_domain", {"email": "other@author.example"}),
        ("spam_same_ip", {"ip_address": "203.0.113.50"}),
    ],
)
def test_bulk_spam_reaches_everything_from_the_same_author_domain_or_ip(
    as_moderator, action, matching
):
    selected = CommentFactory(email="same@author.example", ip_address="203.0.113.50")
    alike = CommentFactory(**{"email": "x@elsewhere.example", "ip_address": None, **matching})
    unrelated = CommentFactory(email="reader@post.example", ip_address="192.0.2.8")

    as_moderator.post(CHANGELIST, {"action": action, "_selected_action": [selected.pk]})

    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses[selected.pk] == statuses[alike.pk] == "spam"
    assert statuses[unrelated.pk] == "approved"


def test_filters_by_reason_and_by_what_the_filter_said(as_moderator):
    links = CommentFactory(status="pending", reason_codes="first-time links")
    CommentFactory(status="pending", reason_codes="first-time")
    shadow = CommentFactory(status="approved", spam_verdict="spam")

    by_reason = as_moderator.get(CHANGELIST, {"reason": "links"}).text
    by_verdict = as_moderator.get(CHANGELIST, {"verdict": "spam"}).text

    assert reverse("admin:comments_comment_change", args=[links.pk]) in by_reason
    assert by_reason.count("/change/") == 1
    assert reverse("admin:comments_comment_change", args=[shadow.pk]) in by_verdict


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_only_moderators_decide(client, who):
    comment = CommentFactory(status="pending")
    if who == "reader":
        client.force_login(UserFactory())

    client.post(decide_url(comment, "ham"))

    comment.refresh_from_db()
    assert comment.status == "pending"


def test_the_decision_buttons_need_a_post(as_moderator):
    comment = CommentFactory(status="pending")

    assert as_moderator.get(decide_url(comment, "ham")).status_code == 405


def test_the_coach_can_moderate_too_but_a_moderator_cannot_edit_articles(client):
    client.force_login(coach())
    comment = CommentFactory(status="pending")

    client.post(decide_url(comment, "ham"))
    client.force_login(moderator())

    comment.refresh_from_db()
    assert comment.status == "approved"
    assert client.get(reverse("admin:articles_article_add")).status_code == 403


def test_purge_deletes_spam_older_than_the_setting_and_dry_run_deletes_nothing(capsys):
    old = timezone.now() - timedelta(days=45)
    CommentFactory(status="spam", created_at=old)
    recent_spam = CommentFactory(status="spam")
    old_ham = CommentFactory(created_at=old)

    call_command("spam", "purge", "--dry-run")
    assert Comment.objects.count() == 3
    call_command("spam", "purge", "--days", "30")

    assert set(Comment.objects.values_list("pk", flat=True)) == {recent_spam.pk, old_ham.pk}
    assert "deleted 1 spam" in capsys.readouterr().out


def test_with_akismet_configured_decisions_are_reported_to_it_after_the_commit(
    as_moderator, settings, django_capture_on_commit_callbacks
):
    settings.AKISMET_API_KEY = "key"
    comment = CommentFactory(status="pending", body="Cheap watches", ip_address="192.0.2.4")

    with (
        mock.patch("painrelief.spam.akismet_backend.teach") as teach,
        django_capture_on_commit_callbacks(execute=True),
    ):
        as_moderator.post(decide_url(comment, "spam"))

    (call,) = teach.call_args_list
    submission, context = call.args
    assert submission.text == "Cheap watches" and context.ip == "192.0.2.4"
    assert call.kwargs == {"spam": True}


def test_a_bulk_decision_costs_the_same_queries_for_2_or_10_comments_from_accounts(
    as_moderator,
):
    """No query per comment or per author (the classifier's statements differ by database)."""
    ContentType.objects.get_for_model(Comment)  # warm Django's content-type cache
    counts = []
    for size in (2, 10):
        comments = [CommentFactory(user=u, email="") for u in UserFactory.create_batch(size)]
        with CaptureQueriesContext(connection) as queries:
            comment_services.moderate(comments=comments, status="spam", moderator=as_moderator.user)
        counts.append(len(queries))

    assert counts[0] == counts[1] <= 16  # one settles the open reports, one stores the examples


@pytest.mark.parametrize(
    ("submission", "overrules"),
    [
        (Comment(status="approved", spam_verdict="hold"), True),  # a moderator approved it
        (Comment(status="pending", spam_verdict="hold"), False),
        (Comment(status="removed", spam_verdict="spam"), False),  # removal judges nothing
        (Comment(status="approved", spam_verdict=""), False),  # the coach's own
        (Question(status="held", spam_verdict="approve"), True),  # put back by a moderator
        (Question(status="new", spam_verdict="approve"), False),
    ],
)
def test_the_queue_says_when_a_status_overrules_the_filter(submission, overrules):
    assert submission.overrules_the_filter is overrules
