"""Bytes that are not UTF-8 in a post are refused with a message on the field they damaged,
everything else typed kept in the form; nothing is stored with "�" in it."""

from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from painrelief.comments.models import Comment
from painrelief.downloads.models import DownloadRequest
from questions.models import Question
from tests.comments.conftest import form_stamp
from tests.downloads.conftest import make_resource
from tests.factories import PASSWORD, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = escape("Some characters of this text did not arrive intact (they show as �).")
NOT_UTF8 = b"caf\xe9"  # "café" in Latin-1: \xe9 alone is no UTF-8


def post_bytes(client, url, data: dict):
    """Post `data` form-encoded, bytes values as they are (a browser sends only UTF-8)."""
    return client.post(url, urlencode(data, doseq=True), "application/x-www-form-urlencoded")


@pytest.mark.parametrize("field", ["body", "name"])
def test_a_guest_comment_with_bytes_not_utf8_is_refused_and_the_rest_kept(client, field):
    article = ArticleFactory()
    data = {"name": "Maria", "email": "maria@example.net", "form_stamp": form_stamp()}
    data["body"] = "My neck is stiff every morning."
    data[field] = b"Meet me at the " + NOT_UTF8
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})

    response = post_bytes(client, url, data)

    assert MESSAGE in response.text
    assert "maria@example.net" in response.text
    kept = "My neck is stiff every morning." if field == "name" else 'value="Maria"'
    assert kept in response.text
    assert not Comment.objects.exists()


def test_a_question_with_bytes_not_utf8_is_refused_and_the_rest_kept(client):
    data = {
        "title": "Knots by the shoulder blade",
        "body": b"It hurts since the " + NOT_UTF8 + b" trip, worse in the morning.",
        "name": "Anna",
        "email": "anna@example.net",
        "publication": "private",
        "form_stamp": form_stamp(),
        "send": "",
    }

    response = post_bytes(client, reverse("questions:ask"), data)

    assert response.status_code == 400
    assert MESSAGE in response.text
    assert "Knots by the shoulder blade" in response.text and "anna@example.net" in response.text
    assert not Question.objects.exists()


def test_a_sign_up_with_a_display_name_not_utf8_is_refused_and_the_rest_kept(client):
    data = {
        "email": "ruth@example.org",
        "display_name": b"Ruth " + NOT_UTF8,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "form_stamp": form_stamp(),
    }

    response = post_bytes(client, reverse("accounts:signup"), data)

    assert MESSAGE in response.text
    assert "ruth@example.org" in response.text
    assert not get_user_model().objects.filter(email="ruth@example.org").exists()


def test_a_profile_name_not_utf8_in_a_multipart_form_is_refused(client):
    reader = UserFactory(display_name="Ruth")
    client.force_login(reader)

    body = (
        b"--b\r\nContent-Disposition: form-data; "
        b'name="display_name"\r\n\r\nRuth ' + NOT_UTF8 + b"\r\n--b--\r\n"
    )

    response = client.generic(
        "POST", reverse("accounts:profile"), body, "multipart/form-data; boundary=b"
    )

    assert MESSAGE in response.text
    reader.refresh_from_db()
    assert reader.display_name == "Ruth"


def test_a_download_request_with_an_address_not_utf8_is_refused(client):
    resource = make_resource()
    data = {"email": b"ruth@" + NOT_UTF8 + b".example", "consent": "on", "form_stamp": form_stamp()}

    response = post_bytes(client, reverse("downloads:resource", kwargs={"pk": resource.pk}), data)

    assert MESSAGE in response.text
    assert not DownloadRequest.objects.exists()


def test_a_text_in_utf8_with_accents_and_emoji_is_stored_exactly(client):
    article = ArticleFactory()
    body = "Café, Œdème, 👩\u200d⚕️ et ça va mieux."
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})

    data = {"name": "Zoë", "email": "zoe@example.net", "body": body, "form_stamp": form_stamp()}
    Client().post(url, data)

    assert Comment.objects.get().body == body
