"""Posting comments and replies: who is held, what is refused, and that nothing typed is lost."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from painrelief.comments.forms import CommentForm
from painrelief.comments.models import Comment
from painrelief.spam import defence
from tests.factories import ArticleFactory, CommentFactory, UserFactory, coach

from .conftest import GUEST, form_stamp

pytestmark = pytest.mark.django_db


def post_url(article):
    return reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})


def test_a_first_time_guest_is_held_and_sent_back_to_the_comment(article, post_comment):
    response = post_comment(article, **GUEST)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert "first-time" in comment.reason_codes.split()
    assert comment.spam_verdict == "hold" and comment.spam_score is not None
    assert (comment.name, comment.email, comment.object_id) == (
        "Maria",
        "maria@example.net",
        article.pk,
    )
    assert response.status_code == 302
    assert response.url == f"{article.get_absolute_url()}#comment-{comment.pk}"


def test_a_guest_whose_comment_from_this_browser_was_approved_is_published_at_once(
    article, post_comment
):
    post_comment(article, **GUEST)
    Comment.objects.update(status="approved")

    post_comment(article, **{**GUEST, "body": "And a second thought about my neck."})

    assert Comment.objects.latest("pk").status == Comment.Status.APPROVED


def test_typing_a_known_readers_name_and_email_in_another_browser_is_not_enough(
    article, post_comment
):
    """WordPress trusts a name and email anyone can copy; we trust the browser or the inbox."""
    CommentFactory(name="Maria", email="maria@example.net", status="approved")

    post_comment(article, **GUEST)

    assert Comment.objects.for_target(article).get().status == Comment.Status.PENDING


def test_holding_first_time_guests_can_be_turned_off(article, post_comment, settings):
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = False

    post_comment(article, **GUEST)

    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_a_signed_in_reader_posts_under_their_display_name_with_nothing_else_to_fill(
    client, article, post_comment
):
    reader = UserFactory(display_name="Jonas K.", email="jonas@example.org")
    client.force_login(reader)
    form_html = client.get(article.get_absolute_url()).text

    post_comment(article, body="Thanks, the doorway stretch helped.")

    comment = Comment.objects.get()
    assert (comment.user, comment.name, comment.email) == (reader, "Jonas K.", "")
    assert comment.status == Comment.Status.APPROVED
    comment_form = form_html.split('class="comment-form"')[1].split("</form>")[0]
    assert 'name="email"' not in comment_form and 'name="name"' not in comment_form
    assert "You are commenting as Jonas K." in form_html


def test_the_guest_form_marks_required_fields_and_says_the_email_is_never_published(
    client, article
):
    html = client.get(article.get_absolute_url()).text

    assert "Leave a Reply" in html
    assert "Your email address will not be published." in html
    assert "Required fields are marked" in html
    for label in ("Comment", "Name", "Email"):
        assert f'{label}<span class="asteriskField">*</span>' in html
    assert 'Website<span class="asteriskField">' not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**GUEST, "body": "   \n  "}, "Please write your comment."),
        ({**GUEST, "body": "\u200b\u2060\ufeff"}, "Please write your comment."),
        ({**GUEST, "email": "not-an-address"}, "Enter a valid email address."),
        ({**GUEST, "name": ""}, "This field is required."),
        ({**GUEST, "name": "\u202e\u200b"}, "Please tell us your name."),
        ({**GUEST, "website": "javascript:alert(1)"}, "Enter a valid URL."),
        (
            {**GUEST, "body": "x" * 5001},
            "Your comment has 5,001 characters; please keep it under 5,000.",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_everything_typed(
    article, post_comment, data, message
):
    response = post_comment(article, **data, website_extra="", notify_replies="on")

    assert response.status_code == 400
    assert message in response.text
    assert "Everything you typed is kept." in response.text
    if data["body"].strip():
        assert data["body"] in response.text
    assert f'value="{data["email"]}"' in response.text
    assert "checked" in response.text  # the notify box stays ticked
    assert not Comment.objects.exists()


def test_a_100_kb_body_is_refused_with_its_length_and_kept(article, post_comment):
    body = ("My husband's left arm went numb. " * 3200)[:100_000]

    response = post_comment(article, **{**GUEST, "body": body})

    assert response.status_code == 400
    assert "Your comment has 100,000 characters" in response.text
    assert escape(body.strip()) in response.text


@pytest.mark.parametrize(
    "name",
    [
        "coach  elena",
        "\u0421\u043e\u0430ch Elena",  # three Cyrillic letters (found by the hostile sweep)
        "\uff23\uff2f\uff21\uff23\uff28 Elena",  # fullwidth letters
        "C\u200boach El\u0435na",  # a zero-width space, a Cyrillic e
        "C\u039fach Elena",  # a Greek capital omicron
    ],
)
def test_a_guest_cannot_take_the_coach_name(article, post_comment, name):
    coach()  # "Coach Elena"

    response = post_comment(article, **{**GUEST, "name": name})

    assert response.status_code == 400
    assert "This name belongs to the coach" in response.text


def test_a_name_merely_close_to_the_coach_name_is_the_guest_own(article, post_comment):
    coach()  # "Coach Elena"

    assert post_comment(article, **{**GUEST, "name": "Coach Elenas"}).status_code == 302


def test_a_reply_nests_under_its_parent_in_the_same_thread(article, post_comment):
    top = CommentFactory(target=article)
    reply = CommentFactory(parent=top)

    post_comment(article, **GUEST, parent=reply.pk)

    new = Comment.objects.latest("pk")
    assert (new.parent, new.thread, new.depth, new.replied_to) == (reply, top, 3, reply)


def test_replies_past_the_maximum_depth_sit_at_the_deepest_level(article, post_comment, settings):
    settings.COMMENTS_MAX_DEPTH = 3
    level1 = CommentFactory(target=article)
    level2 = CommentFactory(parent=level1)
    level3 = CommentFactory(parent=level2)

    post_comment(article, **GUEST, parent=level3.pk)

    new = Comment.objects.latest("pk")
    assert (new.parent, new.depth, new.replied_to) == (level2, 3, level3)


@pytest.mark.parametrize(
    "parent",
    [
        lambda article: CommentFactory(target=ArticleFactory()).pk,  # another article's
        lambda article: CommentFactory(target=article, status="pending").pk,
        lambda article: CommentFactory(target=article, status="spam").pk,
        lambda article: CommentFactory(target=article, status="removed").pk,
        lambda article: 999_999,
    ],
    ids=["other article", "pending", "spam", "removed", "missing"],
)
def test_a_reply_to_a_comment_not_published_here_is_refused_and_the_text_kept(
    article, post_comment, parent
):
    response = post_comment(article, **GUEST, parent=parent(article))

    assert response.status_code == 400
    assert "The comment you are replying to is not published on this page." in response.text
    assert GUEST["body"] in response.text
    assert 'name="parent" value=""' in response.text or 'name="parent" id' in response.text
    assert not Comment.objects.filter(email=GUEST["email"]).exists()


@pytest.mark.parametrize("parent", ["abc", "-3", "1e9", "0"])
def test_a_tampered_parent_id_is_a_form_error_not_a_server_error(article, post_comment, parent):
    response = post_comment(article, **GUEST, parent=parent)

    assert response.status_code == 400
    assert GUEST["body"] in response.text


def test_posting_on_a_draft_or_unknown_target_is_not_found(post_comment, client):
    draft = ArticleFactory(status="draft", published_at=None)

    assert post_comment(draft, **GUEST).status_code == 404
    assert client.post("/comments/accounts.user/1/post/", GUEST).status_code == 404
    assert client.post("/comments/nonsense/1/post/", GUEST).status_code == 404
    assert not Comment.objects.exists()


def test_a_closed_article_shows_its_comments_refuses_new_ones_and_keeps_the_text(
    client, post_comment
):
    article = ArticleFactory(comments_open=False)
    CommentFactory(target=article, body="An older comment stays visible.")

    page = client.get(article.get_absolute_url()).text
    response = post_comment(article, **GUEST)

    assert "An older comment stays visible." in page
    assert "Comments are closed." in page and "Leave a Reply" not in page
    assert response.status_code == 403
    assert "Comments are closed." in response.text and GUEST["body"] in response.text
    assert Comment.objects.count() == 1


def test_comments_close_automatically_after_the_configured_days(client, post_comment, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = ArticleFactory(published_at=timezone.now() - timedelta(days=31))
    recent = ArticleFactory(published_at=timezone.now() - timedelta(days=29))

    assert post_comment(old, **GUEST).status_code == 403
    assert post_comment(recent, **GUEST).status_code == 302
    assert "they close 30 days after publication" in client.get(old.get_absolute_url()).text


def test_the_comment_form_needs_a_csrf_token(article):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(post_url(article), GUEST)

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_posting_runs_a_bounded_number_of_queries(
    article, post_comment, django_assert_max_num_queries
):
    CommentFactory.create_batch(30, target=article)
    parent = CommentFactory(target=article)

    # the article, coaches' names, the parent; was it sent already (its submission key); the
    # spam defence: disallowed terms, spam history, the filter's totals and its statistics (one
    # query); the insert (in a savepoint of its own, for a double click's unique key, inside the
    # write's); the comment's page of threads (2); the coach's email, written by its task (the
    # comment and its article) into the outbox (look up its key, insert it in a savepoint,
    # claim it, read it, mark it sent): with the task worker, the request only queues the task
    with django_assert_max_num_queries(24):
        response = post_comment(article, **GUEST, parent=parent.pk, notify_replies="on")

    assert response.status_code == 302


def test_a_double_click_stores_one_comment_and_both_clicks_land_on_it(
    article, post_comment, settings
):
    """The same form sent twice (a double click, a reload of the POST, a retry after a network
    error) is one comment, one email to the coach, and the same page for both answers."""
    settings.COMMENTS_NOTIFY_COACH = True
    coach()
    sent = {**GUEST, "form_stamp": form_stamp()}

    first = post_comment(article, **sent)
    second = post_comment(article, **sent)

    (comment,) = Comment.objects.all()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert "duplicate" not in comment.reason_codes.split()
    assert len(mail.outbox) == 1


def test_a_different_text_from_the_same_form_is_a_new_comment(article, post_comment):
    """A reader who goes back to the page kept in the browser and writes again loses nothing."""
    stamp = form_stamp()

    post_comment(article, **GUEST, form_stamp=stamp)
    post_comment(article, **{**GUEST, "body": "And one more thing."}, form_stamp=stamp)

    assert Comment.objects.count() == 2


def test_two_copies_arriving_at_the_same_moment_store_one_comment(article, client):
    """Both passed the early look before either was stored: the unique key decides."""
    check = defence.check
    url = post_url(article)
    data = {**GUEST, "form_stamp": form_stamp()}
    form = CommentForm(data, target=article, user=AnonymousUser())
    assert form.is_valid()
    key = form.submission_key("articles.article", str(article.pk), "None", GUEST["body"])

    def check_while_the_other_copy_is_stored(*args, **kwargs):
        CommentFactory(target=article, body=GUEST["body"], submission_key=key)
        return check(*args, **kwargs)

    with mock.patch.object(defence, "check", check_while_the_other_copy_is_stored):
        response = client.post(url, data)

    (comment,) = Comment.objects.all()
    assert response.status_code == 302 and response.url.endswith(f"#comment-{comment.pk}")
