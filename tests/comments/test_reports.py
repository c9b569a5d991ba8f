"""Readers report a comment: one reader counts once, never on their own comment; enough readers
hide it until a moderator keeps it or removes it, and the decision teaches the spam filter."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from painrelief.comments import services
from painrelief.comments.models import Comment, CommentReport
from painrelief.spam import defence
from painrelief.spam.models import Decision, LearnedTotals
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    CommentReportFactory,
    UserFactory,
    moderator,
)

from .conftest import GUEST, form_stamp

pytestmark = pytest.mark.django_db

THANKS = "Thank you, a moderator will look at it."


def from_the_page(ip: str = "192.0.2.1") -> defence.Context:
    """How a person's report arrives from the report page: its stamp, a person's pace."""
    return defence.Context("report", ip=ip, seconds_to_submit=30)


def report_as_guest(comment, ip, **kwargs):
    kwargs.setdefault("reason", "spam")
    return services.report_comment(comment=comment, spam_context=from_the_page(ip), **kwargs)


def report_as(user, comment, reason="spam"):
    return services.report_comment(
        comment=comment, reason=reason, user=user, spam_context=from_the_page()
    )


def report_url(comment):
    return reverse("comments:report", args=[comment.pk])


def shown_on_page(comment) -> bool:
    html = Client().get(comment.target.get_absolute_url()).text
    return comment.body in html


# --- One reader, once ------------------------------------------------------------------------


def test_an_account_reporting_twice_stores_one_report():
    comment = CommentFactory()
    reader = UserFactory()

    first = report_as(reader, comment)
    again = report_as(reader, comment, reason="abuse")

    assert again.pk == first.pk and again.reason == "spam"
    assert CommentReport.objects.count() == 1


def test_a_guest_is_the_same_reader_from_the_same_address_whatever_the_cookies():
    comment = CommentFactory()

    report_as_guest(comment, "203.0.113.5")
    report_as_guest(comment, "203.0.113.5", reason="other", note="Again, from a new window")
    report_as_guest(comment, "203.0.113.6")

    assert CommentReport.objects.count() == 2


def test_a_guests_ipv6_addresses_count_as_one_reader_per_64_block():
    comment = CommentFactory()

    report_as_guest(comment, "2001:db8:1:2::1")
    report_as_guest(comment, "2001:db8:1:2:ffff::9")
    report_as_guest(comment, "2001:db8:1:3::1")

    assert CommentReport.objects.count() == 2


def test_the_guest_key_does_not_store_the_address():
    report = report_as_guest(CommentFactory(), "203.0.113.5")

    assert "203.0.113.5" not in report.guest_key
    assert report.guest_key == services.reporter_key("203.0.113.5") != ""


def test_the_database_refuses_a_second_report_by_the_same_account():
    report = CommentReportFactory(user=UserFactory())

    with pytest.raises(IntegrityError):
        CommentReport.objects.create(comment=report.comment, user=report.user, reason="abuse")


# --- Own comments ------------------------------------------------------------------------------


def test_an_account_cannot_report_its_own_comment():
    author = UserFactory()
    comment = CommentFactory(user=author, email="")

    with pytest.raises(ValidationError) as refused:
        report_as(author, comment)

    assert refused.value.code == "own_comment"
    assert not CommentReport.objects.exists()


def test_a_guest_cannot_report_the_comment_their_browser_posted():
    comment = CommentFactory()

    with pytest.raises(ValidationError):
        report_as_guest(comment, "203.0.113.5", own_guest_ids=[comment.pk])

    assert not CommentReport.objects.exists()


# --- The threshold -----------------------------------------------------------------------------


def test_reports_from_the_set_number_of_readers_hide_the_comment(settings):
    settings.COMMENT_REPORTS_TO_HIDE = 3
    comment = CommentFactory()
    report_as(UserFactory(), comment, reason="abuse")
    report_as_guest(comment, "203.0.113.5")
    assert shown_on_page(comment)  # two readers: still shown

    report_as_guest(comment, "203.0.113.6", reason="off-topic")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert not shown_on_page(comment)


def test_the_threshold_is_a_setting(settings):
    settings.COMMENT_REPORTS_TO_HIDE = 1
    comment = CommentFactory()

    report_as_guest(comment, "203.0.113.5")

    assert Comment.objects.get().status == Comment.Status.PENDING


def test_a_moderators_report_hides_the_comment_at_once(settings):
    settings.COMMENT_REPORTS_TO_HIDE = 3
    comment = CommentFactory()

    report_as(moderator(), comment, reason="private")

    assert Comment.objects.get().status == Comment.Status.PENDING


def test_a_report_the_spam_defence_holds_is_kept_but_does_not_count(settings):
    settings.COMMENT_REPORTS_TO_HIDE = 1
    comment = CommentFactory()

    fast = defence.Context("report", ip="203.0.113.5", seconds_to_submit=0.5)
    report = services.report_comment(comment=comment, reason="spam", spam_context=fast)

    assert report.counts is False and "too-fast" in report.held_because
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_a_robots_report_is_dropped():
    comment = CommentFactory()

    robot = defence.Context("report", ip="203.0.113.5", honeypot="http://spam.example")
    assert services.report_comment(comment=comment, reason="spam", spam_context=robot) is None

    assert not CommentReport.objects.exists()


# --- Moderators decide -------------------------------------------------------------------------


def hidden_by_three_reports(settings, **comment_fields) -> Comment:
    settings.COMMENT_REPORTS_TO_HIDE = 3
    comment = CommentFactory(**comment_fields)
    for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        report_as_guest(comment, ip)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    return comment


def test_keeping_a_hidden_comment_shows_it_again_and_dismisses_its_reports(settings):
    comment = hidden_by_three_reports(settings)
    judge = moderator()

    kept = services.keep_reported_comments(comments=[comment], moderator=judge)

    comment.refresh_from_db()
    assert kept == 1 and comment.status == Comment.Status.APPROVED
    assert shown_on_page(comment)
    assert set(comment.reports.values_list("outcome", "decided_by")) == {("kept", judge.pk)}


def test_the_same_readers_cannot_hide_a_kept_comment_again(settings):
    comment = hidden_by_three_reports(settings)
    services.keep_reported_comments(comments=[comment], moderator=moderator())

    for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        report_as_guest(comment, ip)

    assert Comment.objects.get().status == Comment.Status.APPROVED
    assert CommentReport.objects.count() == 3


def test_new_readers_can_hide_a_kept_comment_again(settings):
    comment = hidden_by_three_reports(settings)
    services.keep_reported_comments(comments=[comment], moderator=moderator())

    for ip in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        report_as_guest(comment, ip)

    assert Comment.objects.get().status == Comment.Status.PENDING


def learned() -> LearnedTotals:
    return LearnedTotals.objects.get_or_create(pk=1)[0]


def test_keeping_teaches_not_spam_when_the_filter_had_flagged_the_text(settings):
    flagged = [{"code": "classifier-unsure", "text": "may be spam", "severity": "hold"}]
    comment = hidden_by_three_reports(settings, reasons=[{**flagged[0], "kind": "content"}])
    ham_before = learned().ham

    services.keep_reported_comments(comments=[comment], moderator=moderator())

    comment.refresh_from_db()
    assert comment.taught_as == "ham"
    assert learned().ham == ham_before + 1
    assert Decision.objects.get().taught == "ham"


def test_keeping_teaches_nothing_when_the_filter_had_let_the_text_through(settings):
    first_time = {"code": "first-time", "text": "first", "severity": "hold", "kind": "policy"}
    comment = hidden_by_three_reports(settings, reasons=[first_time])
    ham_before = learned().ham

    services.keep_reported_comments(comments=[comment], moderator=moderator())

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and comment.taught_as == ""
    assert learned().ham == ham_before
    assert Decision.objects.get().taught == ""


def test_marking_a_reported_comment_spam_teaches_spam_and_settles_the_reports(settings):
    comment = hidden_by_three_reports(settings)
    spam_before = learned().spam

    services.moderate(comments=[comment], status=Comment.Status.SPAM, moderator=moderator())

    comment.refresh_from_db()
    assert comment.taught_as == "spam" and learned().spam == spam_before + 1
    assert set(comment.reports.values_list("outcome", flat=True)) == {"spam"}
    assert not CommentReport.objects.open().exists()


def test_removing_a_reported_comment_settles_its_reports_and_teaches_nothing(settings):
    comment = hidden_by_three_reports(settings)

    services.moderate(comments=[comment], status=Comment.Status.REMOVED, moderator=moderator())

    assert set(comment.reports.values_list("outcome", flat=True)) == {"removed"}
    assert Comment.objects.get().taught_as == ""


def test_keeping_a_comment_still_shown_only_dismisses_its_reports(settings):
    settings.COMMENT_REPORTS_TO_HIDE = 3
    comment = CommentFactory()
    report_as_guest(comment, "203.0.113.1")

    services.keep_reported_comments(comments=[comment], moderator=moderator())

    assert Comment.objects.get().status == Comment.Status.APPROVED
    assert not CommentReport.objects.open().exists()
    assert not Decision.objects.exists()


def test_a_reported_comment_its_author_deletes_leaves_the_queue(settings):
    comment = hidden_by_three_reports(settings)
    CommentFactory(parent=comment)  # a reply: its place stays, emptied

    services.delete_own_comment(comment=comment)

    assert not CommentReport.objects.open().exists()
    assert set(CommentReport.objects.values_list("outcome", flat=True)) == {"deleted"}


# --- The Report link and the report page -------------------------------------------------------


def test_each_published_comment_has_a_report_link(client):
    comment = CommentFactory()
    CommentFactory(target=comment.target, status="pending")

    html = client.get(comment.target.get_absolute_url()).text

    assert html.count('class="comment-report-link"') == 1
    assert f'href="{report_url(comment)}"' in html


def test_no_report_link_on_a_readers_own_comment(client):
    author = UserFactory()
    own = CommentFactory(user=author, email="")
    other = CommentFactory(target=own.target)
    client.force_login(author)

    html = client.get(own.target.get_absolute_url()).text

    assert report_url(other) in html and report_url(own) not in html


def test_no_report_link_on_a_guests_own_comment(client, article, post_comment):
    """The browser that posted it as a guest (its own-comments cookie) is its author."""
    other = CommentFactory(target=article)
    post_comment(article, **GUEST)
    own = Comment.objects.latest("pk")
    Comment.objects.filter(pk=own.pk).update(status="approved")

    html = client.get(article.get_absolute_url()).text

    assert own.body in html
    assert report_url(other) in html and report_url(own) not in html
    assert client.get(report_url(own)).status_code == 403


def test_the_report_page_is_private_and_carries_its_token_and_stamp(client):
    comment = CommentFactory()

    response = client.get(report_url(comment))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in response.text
    assert re.search(r'name="form_stamp" value="[^"]+"', response.text)
    assert comment.body in response.text


def test_reporting_sends_the_reader_back_to_the_page_with_one_answer(client):
    comment = CommentFactory()
    data = {"reason": "off-topic", "note": "Not about pain at all", "form_stamp": form_stamp()}

    first = client.post(report_url(comment), data, follow=True)
    again = client.post(report_url(comment), data, follow=True)

    for response in (first, again):
        assert response.redirect_chain[-1][0] == f"{comment.target.get_absolute_url()}#comments"
        assert THANKS in response.text
    report = CommentReport.objects.get()
    assert (report.reason, report.note, report.user) == ("off-topic", "Not about pain at all", None)


def test_a_signed_in_reader_reports_under_their_account(client):
    reader = UserFactory()
    client.force_login(reader)

    client.post(report_url(CommentFactory()), {"reason": "abuse", "form_stamp": form_stamp()})

    report = CommentReport.objects.get()
    assert report.user == reader and report.guest_key == ""


def test_a_report_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    comment = CommentFactory()

    response = client.post(report_url(comment), {"reason": "spam", "form_stamp": form_stamp()})

    assert response.status_code == 403
    assert not CommentReport.objects.exists()


def test_a_report_with_the_token_of_its_page_is_stored():
    client = Client(enforce_csrf_checks=True)
    comment = CommentFactory()
    page = client.get(report_url(comment))
    token = page.context["csrf_token"]

    client.post(
        report_url(comment),
        {"reason": "spam", "form_stamp": form_stamp(), "csrfmiddlewaretoken": str(token)},
    )

    assert CommentReport.objects.count() == 1


def test_the_honeypot_gets_the_same_answer_and_stores_nothing(client):
    comment = CommentFactory()
    data = {"reason": "spam", "form_stamp": form_stamp(), "homepage": "http://spam.example"}

    response = client.post(report_url(comment), data, follow=True)

    assert THANKS in response.text
    assert not CommentReport.objects.exists()


def test_a_report_sent_without_the_forms_stamp_is_dropped(client):
    response = client.post(report_url(CommentFactory()), {"reason": "spam"}, follow=True)

    assert THANKS in response.text
    assert not CommentReport.objects.exists()


def test_a_report_without_a_reason_comes_back_with_the_note_kept(client):
    data = {"note": "Selling pills in the third line", "form_stamp": form_stamp()}

    response = client.post(report_url(CommentFactory()), data)

    assert response.status_code == 400
    assert "Please choose what is wrong with it." in response.text
    assert "Selling pills in the third line" in response.text
    assert not CommentReport.objects.exists()


def test_the_report_page_of_ones_own_comment_is_refused(client):
    author = UserFactory()
    comment = CommentFactory(user=author, email="")
    client.force_login(author)

    page = client.get(report_url(comment))
    sent = client.post(report_url(comment), {"reason": "spam", "form_stamp": form_stamp()})

    assert page.status_code == sent.status_code == 403
    assert "you cannot report it" in page.text
    assert not CommentReport.objects.exists()


@pytest.mark.parametrize("status", ["pending", "spam", "removed"])
def test_only_published_comments_can_be_reported(client, status):
    comment = CommentFactory(status=status)

    assert client.get(report_url(comment)).status_code == 404
    assert client.post(report_url(comment), {"reason": "spam"}).status_code == 404


def test_a_comment_on_a_draft_cannot_be_reported(client):
    comment = CommentFactory(target=ArticleFactory(status="draft"))

    assert client.get(report_url(comment)).status_code == 404


def test_reporting_from_a_page_shown_before_the_comment_was_hidden_gets_the_same_answer(
    client, settings
):
    comment = hidden_by_three_reports(settings)

    response = client.post(
        report_url(comment), {"reason": "spam", "form_stamp": form_stamp()}, follow=True
    )

    assert THANKS in response.text
    assert client.get(report_url(comment)).status_code == 404


# --- The moderators' queue ---------------------------------------------------------------------

CHANGELIST = reverse("admin:comments_comment_changelist")


def test_the_admin_index_counts_the_reported_comments_for_moderators(client, settings):
    hidden_by_three_reports(settings)
    CommentReportFactory()  # another comment, reported once: still shown, still waiting
    client.force_login(moderator())

    html = client.get(reverse("admin:index")).text

    assert f'href="{CHANGELIST}?reported=open">2 reported by readers</a>' in html


def test_the_queue_lists_reported_comments_with_counts_reasons_and_notes(client, settings):
    comment = hidden_by_three_reports(settings)
    report_as(UserFactory(), comment, reason="abuse")
    CommentReport.objects.filter(reason="abuse").update(note="Calls another reader an idiot")
    untouched = CommentFactory(body="A comment nobody reported")
    client.force_login(moderator())

    html = client.get(CHANGELIST, {"reported": "open"}).text

    assert '<span class="report-count">4</span> (hidden): Spam or advertising ×3, Rude' in html
    assert "“Calls another reader an idiot”" in html
    assert untouched.body not in html


def test_the_comments_page_lists_each_report_with_its_reader(client, settings):
    comment = CommentFactory()
    reader = UserFactory(display_name="Rosa Reader")
    report_as(reader, comment, reason="private")
    report_as_guest(comment, "203.0.113.4", reason="other", note="Names her neighbour")
    client.force_login(moderator())

    html = client.get(reverse("admin:comments_comment_change", args=[comment.pk])).text

    assert "Rosa Reader" in html and "a guest" in html and "Names her neighbour" in html
    assert "Shares someone&#x27;s private or health details" in html


def test_the_keep_action_shows_the_comment_again(client, settings):
    comment = hidden_by_three_reports(settings)
    client.force_login(moderator())

    client.post(CHANGELIST, {"action": "keep_reported", "_selected_action": [comment.pk]})

    assert Comment.objects.get().status == Comment.Status.APPROVED
    assert not CommentReport.objects.open().exists()
    assert client.get(CHANGELIST, {"reported": "open"}).text.count("report-count") == 0


def test_the_remove_action_settles_the_reports(client, settings):
    comment = hidden_by_three_reports(settings)
    client.force_login(moderator())

    client.post(CHANGELIST, {"action": "remove", "_selected_action": [comment.pk]})

    assert Comment.objects.get().status == Comment.Status.REMOVED
    assert set(CommentReport.objects.values_list("outcome", flat=True)) == {"removed"}


def test_staff_without_the_moderate_permission_cannot_keep(client, settings):
    comment = hidden_by_three_reports(settings)
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_comment", "change_comment"])
    )
    client.force_login(viewer)

    client.post(CHANGELIST, {"action": "keep_reported", "_selected_action": [comment.pk]})

    assert Comment.objects.get().status == Comment.Status.PENDING
    assert CommentReport.objects.open().count() == 3


# --- The moderators hear of it -----------------------------------------------------------------


def test_moderators_and_the_coach_are_emailed_once_when_readers_hide_a_comment(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.COMMENT_REPORTS_TO_HIDE = 2
    judge = moderator(email="judge@example.net")
    author = UserFactory(email="coach@example.net")
    comment = CommentFactory(target=ArticleFactory(author=author), body="Buy my pills")

    with django_capture_on_commit_callbacks(execute=True):
        report_as_guest(comment, "203.0.113.1", reason="spam")
    assert mailoutbox == []  # one reader: still shown
    with django_capture_on_commit_callbacks(execute=True):
        report_as_guest(comment, "203.0.113.2", reason="abuse")
        report_as_guest(comment, "203.0.113.3", reason="spam")  # hidden already

    assert sorted(m.to[0] for m in mailoutbox) == ["coach@example.net", judge.email]
    notice = mailoutbox[0]
    assert "hidden by readers" in notice.subject
    # Sent after the commit, it counts every report made by then.
    assert "3 readers reported" in notice.body
    assert "Reasons: Spam or advertising (2); Rude or abusive (1)" in notice.body
    assert f"/admin/comments/comment/{comment.pk}/change/" in notice.body
    assert "Buy my pills" not in notice.body  # not quoted: mailboxes are not private


def test_nobody_is_emailed_when_a_moderators_report_hides_a_comment(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    moderator(email="other@example.net")
    comment = CommentFactory()

    with django_capture_on_commit_callbacks(execute=True):
        report_as(moderator(), comment)

    assert Comment.objects.get().status == Comment.Status.PENDING
    assert mailoutbox == []
