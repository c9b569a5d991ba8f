"""Emails about comments: to the coach, the guest's receipt and approval, replies, unsubscribing."""

import re

import pytest
from django.core import mail
from django.test import Client

from painrelief.comments import emails, services
from painrelief.comments.links import unsubscribe_token
from painrelief.comments.models import Comment
from painrelief.mail.models import OutgoingEmail
from tests.factories import ArticleFactory, CommentFactory, UserFactory, coach

from .conftest import GUEST

pytestmark = pytest.mark.django_db


def emails_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def link_in(message, path_start):
    return re.search(rf"https?://testserver({path_start}[^\s]+)", message.body).group(1)


def approve(comment, capture):
    with capture(execute=True):
        services.moderate(comments=[comment], status=Comment.Status.APPROVED)


def test_the_coach_hears_of_every_new_comment_with_links_to_read_and_moderate(post_comment):
    writer = coach(email="elena@example.org")
    article = ArticleFactory(author=writer, title="Neck knots")

    post_comment(article, **GUEST)

    (notice,) = emails_to("elena@example.org")
    comment = Comment.objects.get()
    assert notice.subject == "Comment awaiting moderation on “Neck knots”"
    assert f"/admin/comments/comment/{comment.pk}/change/" in notice.body


def test_the_coachs_notice_quotes_no_held_comment_and_only_an_excerpt_of_a_published_one(
    post_comment, settings
):
    """Mailboxes are not private: a held comment may be a reader's health story or spam."""
    writer = coach(email="elena@example.org")
    article = ArticleFactory(author=writer, title="Neck knots")
    post_comment(article, **GUEST)
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = False
    long_body = " ".join(f"word{n}" for n in range(60))
    post_comment(article, **{**GUEST, "email": "tom@example.net", "body": long_body})

    held, published = emails_to("elena@example.org")
    assert GUEST["body"] not in held.body and "is not quoted here" in held.body
    assert "word0 word1" in published.body and "word29 …" in published.body
    assert "word30" not in published.body


def test_the_coachs_notice_of_a_held_comment_gives_its_reasons_without_their_quotes(post_comment):
    """The classifier's clues and a disallowed word are words of the comment."""
    writer = coach(email="elena@example.org")
    article = ArticleFactory(author=writer, title="Neck knots")
    post_comment(article, **GUEST)
    comment = Comment.objects.get()
    comment.reasons = [
        {"code": "classifier-unsure", "text": "may be spam (0.71: lumbago, Ottoline)"},
        {"code": "disallowed", "text": "contains the disallowed word “Quarrendon”"},
        {"code": "first-time", "text": "first submission from this guest"},
    ]
    comment.save(update_fields=["reasons"])
    mail.outbox.clear()

    emails.notify_coach_of_new_comment.enqueue(comment.pk)

    (notice,) = emails_to("elena@example.org")
    assert "may be spam; contains the disallowed word; first submission from this guest" in (
        notice.body
    )
    assert not {"lumbago", "Ottoline", "Quarrendon"} & set(re.findall(r"\w+", notice.body))


def test_the_coach_is_not_told_when_the_setting_is_off_nor_of_their_own_comments(
    client, post_comment, settings
):
    writer = coach(email="elena@example.org")
    article = ArticleFactory(author=writer)
    client.force_login(writer)
    post_comment(article, body="The coach's own comment.")
    settings.COMMENTS_NOTIFY_COACH = False
    client.logout()
    post_comment(article, **GUEST)

    assert emails_to("elena@example.org") == []


def test_a_published_guest_gets_a_receipt_with_a_private_link_and_readers_no_email(
    client, article, post_comment, settings
):
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = False
    post_comment(article, **GUEST)
    reader = UserFactory(email="jonas@example.org")
    client.force_login(reader)
    post_comment(article, body="From an account.")

    (receipt,) = emails_to(GUEST["email"])
    assert receipt.subject == "Your comment on “Knots between the shoulder blades”"
    assert "It is published" in receipt.body
    assert "/comments/manage/" in receipt.body
    assert emails_to("jonas@example.org") == []


def test_links_in_emails_use_the_sites_public_address_whatever_host_was_asked(
    post_comment, settings
):
    """A request through another host name (a proxy, an internal address) changes no link."""
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = False
    settings.SITE_URL = "https://painrelief.example"
    article = ArticleFactory(author=coach(email="elena@example.org"))

    post_comment(article, **GUEST)

    comment = Comment.objects.get()
    (receipt,) = emails_to(GUEST["email"])
    (notice,) = emails_to("elena@example.org")
    assert f"https://painrelief.example/comments/{comment.pk}/" in receipt.body
    assert "https://painrelief.example/comments/manage/" in receipt.body
    assert f"https://painrelief.example/admin/comments/comment/{comment.pk}/change/" in notice.body
    assert "testserver" not in receipt.body + notice.body


def test_a_held_comment_sends_its_author_nothing_until_approved(article, post_comment):
    """A robot typing someone else's address into the form gets no email sent to it."""
    post_comment(article, **GUEST)

    assert emails_to(GUEST["email"]) == []


def test_receipts_to_one_address_are_limited_so_the_form_cannot_flood_an_inbox(
    article, post_comment, settings
):
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = False
    settings.SPAM_RATE_LIMIT_PER_HOUR = 100
    for n in range(8):
        post_comment(article, **{**GUEST, "body": f"Comment number {n} about my stiff neck"})

    assert Comment.objects.filter(status="approved").count() == 8
    assert len(emails_to(GUEST["email"])) == services.GUEST_RECEIPTS_PER_ADDRESS_PER_HOUR


def test_a_held_guest_is_told_once_when_the_comment_is_approved(
    article, post_comment, django_capture_on_commit_callbacks
):
    post_comment(article, **GUEST)
    comment = Comment.objects.get()
    mail.outbox.clear()

    approve(comment, django_capture_on_commit_callbacks)
    services.moderate(comments=[comment], status="pending")
    approve(comment, django_capture_on_commit_callbacks)

    (notice,) = emails_to(GUEST["email"])
    assert notice.subject == "Your comment on “Knots between the shoulder blades” is published"
    assert f"/comments/{comment.pk}/" in notice.body
    assert "/comments/manage/" in notice.body


def test_a_subscriber_gets_one_email_per_approved_reply_with_a_one_click_unsubscribe(
    client, article, post_comment, django_capture_on_commit_callbacks
):
    original = CommentFactory(
        target=article, name="Maria", email="maria@example.net", notify_replies=True
    )
    post_comment(
        article, **{**GUEST, "name": "Ben", "email": "ben@example.net"}, parent=original.pk
    )
    held_reply = Comment.objects.latest("pk")
    assert emails_to("maria@example.net") == []  # held replies are not announced

    approve(held_reply, django_capture_on_commit_callbacks)
    approve(held_reply, django_capture_on_commit_callbacks)

    (notice,) = emails_to("maria@example.net")
    assert notice.subject == "Ben replied to your comment on “Knots between the shoulder blades”"
    assert GUEST["body"] in notice.body
    unsubscribe = link_in(notice, "/comments/unsubscribe/")
    assert notice.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>"
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    page = Client().get(unsubscribe)

    assert page.status_code == 200
    assert "You will get no more emails about replies" in page.text
    original.refresh_from_db()
    assert original.notify_replies is False


def test_mail_programs_can_unsubscribe_with_a_post_and_the_page_can_undo_it(article):
    original = CommentFactory(target=article, notify_replies=True)
    url = f"/comments/unsubscribe/{unsubscribe_token(original)}/"
    strict = Client(enforce_csrf_checks=True)

    assert strict.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    original.refresh_from_db()
    assert original.notify_replies is False
    strict.post(url, {"action": "resubscribe"})
    original.refresh_from_db()
    assert original.notify_replies is True


def test_a_tampered_unsubscribe_link_gives_a_clear_page(client, article):
    original = CommentFactory(target=article, notify_replies=True)
    token = unsubscribe_token(original)
    response = client.get(f"/comments/unsubscribe/{token[:-2]}xx/")

    assert response.status_code == 404
    assert "This link does not work" in response.text


def test_nobody_is_told_of_their_own_replies_nor_without_asking(client, article, post_comment):
    reader = UserFactory(email="jonas@example.org")
    mine = CommentFactory(target=article, user=reader, notify_replies=True)
    quiet = CommentFactory(target=article, email="quiet@example.net", notify_replies=False)
    client.force_login(reader)

    post_comment(article, body="Adding to my own comment.", parent=mine.pk)
    post_comment(article, body="Answering the quiet one.", parent=quiet.pk)

    assert emails_to("jonas@example.org") == [] and emails_to("quiet@example.net") == []


def test_the_coach_reply_reaches_the_reader_who_asked(client, article, post_comment):
    original = CommentFactory(target=article, email="maria@example.net", notify_replies=True)
    client.force_login(coach())  # "Coach Elena"

    post_comment(article, body="Try the doorway stretch.", parent=original.pk)

    (notice,) = emails_to("maria@example.net")
    assert "Coach Elena (the coach) replied" in notice.body


def test_a_failing_mail_server_loses_no_comment_and_no_email(article, post_comment, settings):
    settings.COMMENTS_NOTIFY_COACH = True
    coach()
    settings.MAILERS = {"default": {"BACKEND": "tests.comments.test_notifications.BrokenMailer"}}

    response = post_comment(article, **GUEST)

    assert response.status_code == 302
    assert Comment.objects.get().body == GUEST["body"]
    (waiting,) = OutgoingEmail.objects.all()  # the coach's notice, to be retried
    assert waiting.status == "waiting" and "the mail server is down" in waiting.last_error


class BrokenMailer:
    """A mail backend whose server refuses every connection."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_subjects_and_bodies_are_plain_text_never_html_escaped(
    post_comment, settings, django_capture_on_commit_callbacks
):
    """An apostrophe, quotes, & and < arrive as typed: no &#x27;, &quot;, &amp; or &lt;."""
    writer = coach(email="elena@example.org")
    article = ArticleFactory(author=writer, title='Elena\'s "neck" & <shoulders>')
    title = '“Elena\'s "neck" & <shoulders>”'
    original = CommentFactory(
        target=article, name="Maria", email="maria@example.net", notify_replies=True
    )
    guest = {"name": "Seán O'Brien", "email": "sean@example.net", "body": "It's <better> & ok."}
    post_comment(article, **guest, parent=original.pk)
    approve(Comment.objects.latest("pk"), django_capture_on_commit_callbacks)
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = False
    post_comment(article, **{**guest, "body": "Still better, it's been a week."})

    subjects = {message.to[0]: [] for message in mail.outbox}
    for message in mail.outbox:
        subjects[message.to[0]].append(message.subject)
        for escaped in ("&#x27;", "&#39;", "&quot;", "&amp;", "&lt;"):
            assert escaped not in message.subject + message.body, message.subject
    assert subjects == {
        "elena@example.org": [
            f"Comment awaiting moderation on {title}",
            f"New comment on {title}",
        ],
        "sean@example.net": [f"Your comment on {title} is published", f"Your comment on {title}"],
        "maria@example.net": [f"Seán O'Brien replied to your comment on {title}"],
    }
    assert "It's <better> & ok." in emails_to("maria@example.net")[0].body
