"""Authors change their comments: readers for 10 minutes on the site, guests by their email link."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrelief.comments.links import manage_token
from painrelief.comments.models import Comment
from tests.factories import CommentFactory, UserFactory

from .conftest import GUEST, form_stamp

pytestmark = pytest.mark.django_db


def minutes_ago(n):
    return timezone.now() - timedelta(minutes=n)


def test_a_reader_edits_their_comment_within_ten_minutes(client, article):
    reader = UserFactory()
    comment = CommentFactory(target=article, user=reader, created_at=minutes_ago(9))
    client.force_login(reader)

    page = client.get(article.get_absolute_url()).text
    response = client.post(reverse("comments:edit", args=[comment.pk]), {"body": "Corrected."})

    assert f'href="{reverse("comments:edit", args=[comment.pk])}"' in page
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Corrected." and comment.body_html == "<p>Corrected.</p>"
    assert comment.edited_at is not None
    assert "(edited)" in client.get(article.get_absolute_url()).text


def test_after_ten_minutes_the_edit_is_refused_and_the_text_kept(client, article):
    reader = UserFactory()
    comment = CommentFactory(target=article, user=reader, created_at=minutes_ago(11))
    client.force_login(reader)

    page = client.get(article.get_absolute_url()).text
    response = client.post(reverse("comments:edit", args=[comment.pk]), {"body": "Too late text."})

    assert "comment-edit-link" not in page
    assert response.status_code == 403
    assert "this one can no longer be edited" in response.text
    assert "Too late text." in response.text
    comment.refresh_from_db()
    assert comment.body != "Too late text."


@pytest.mark.parametrize("who", ["anonymous", "another reader"])
def test_nobody_else_can_edit_or_delete_a_readers_comment(client, article, who):
    comment = CommentFactory(target=article, user=UserFactory(), created_at=minutes_ago(1))
    if who == "another reader":
        client.force_login(UserFactory())

    edit = client.post(reverse("comments:edit", args=[comment.pk]), {"body": "Hijacked."})
    delete = client.post(reverse("comments:delete", args=[comment.pk]))

    assert edit.status_code in (302, 404) and delete.status_code in (302, 404)
    if who == "anonymous":
        assert "/accounts/login/" in edit.url
    comment.refresh_from_db()
    assert comment.body != "Hijacked."


@pytest.mark.parametrize(
    ("status", "minutes", "editable"),
    [
        ("approved", 10, True),
        ("pending", 10, True),
        ("approved", 10.1, False),
        ("spam", 1, False),
        ("removed", 1, False),
    ],
)
def test_a_comment_is_editable_for_ten_minutes_while_published_or_held(status, minutes, editable):
    now = timezone.now()
    comment = CommentFactory.build(status=status, created_at=now - timedelta(minutes=minutes))

    assert comment.is_editable(now) is editable


def test_a_guest_sees_no_edit_form_for_a_comment_judged_spam(client, article):
    """It is not published, and the author has nothing to change in it."""
    comment = CommentFactory(target=article, status="spam")

    page = client.get(reverse("comments:manage", args=[manage_token(comment)]))

    assert "It is not published." in page.text and "Save my changes" not in page.text


def test_an_edit_of_a_held_comment_keeps_it_held(client, article):
    reader = UserFactory()
    comment = CommentFactory(target=article, user=reader, status="pending")
    client.force_login(reader)

    client.post(reverse("comments:edit", args=[comment.pk]), {"body": "Edited while held."})

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_a_guest_edits_and_deletes_through_the_link_in_their_email(article, post_comment, settings):
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = False
    post_comment(article, **GUEST)
    (receipt,) = [m for m in mail.outbox if m.to == [GUEST["email"]]]
    manage = re.search(r"http://testserver(/comments/manage/\S+)", receipt.body).group(1)
    stranger = Client()  # the link works from any browser, with no account

    page = stranger.get(manage)
    edited = stranger.post(
        manage, {"body": "My neck is stiff every evening.", "form_stamp": form_stamp()}
    )
    comment = Comment.objects.get()
    deleted = stranger.post(manage, {"action": "delete"})

    assert page.status_code == 200 and "It is published." in page.text
    assert edited.status_code == 302
    assert comment.body == "My neck is stiff every evening."
    assert deleted.status_code == 302
    assert not Comment.objects.exists()
    assert stranger.get(manage).status_code == 404


def test_a_guest_can_delete_at_any_time_but_edit_only_at_first(client, article):
    comment = CommentFactory(target=article, created_at=timezone.now() - timedelta(days=40))
    manage = reverse("comments:manage", args=[manage_token(comment)])

    page = client.get(manage)
    refused = client.post(manage, {"body": "Late change."})
    client.post(manage, {"action": "delete"})

    assert "you can still delete it" in page.text
    assert refused.status_code == 403 and "Late change." in refused.text
    assert not Comment.objects.exists()


def test_deleting_a_comment_with_replies_leaves_an_empty_removed_place(client, article):
    comment = CommentFactory(target=article, name="Maria", email="m@example.net", body="Mine.")
    CommentFactory(parent=comment, body="An answer to Maria.")

    client.post(reverse("comments:manage", args=[manage_token(comment)]), {"action": "delete"})

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    assert (comment.body, comment.name, comment.email) == ("", "", "")
    html = client.get(article.get_absolute_url()).text
    assert "This comment was removed." in html and "An answer to Maria." in html


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        lambda c: manage_token(c)[:-3] + "abc",
        # a valid signature for a comment whose email has changed since
        lambda c: manage_token(c),
    ],
    ids=["garbage", "tampered", "stale"],
)
def test_a_bad_guest_link_shows_a_clear_page_and_touches_nothing(client, article, token):
    comment = CommentFactory(target=article, email="first@example.net")
    value = token(comment) if callable(token) else token
    Comment.objects.filter(pk=comment.pk).update(email="changed@example.net")

    response = client.post(reverse("comments:manage", args=[value]), {"action": "delete"})

    assert response.status_code == 404
    assert "This link does not work" in response.text
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_a_guest_link_cannot_manage_an_account_holders_comment(client, article):
    comment = CommentFactory(target=article, user=UserFactory(), email="")

    response = client.post(
        reverse("comments:manage", args=[manage_token(comment)]), {"action": "delete"}
    )

    assert response.status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()
