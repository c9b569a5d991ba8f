"""While the database is unreachable every page says so with a 503, and a form post comes back
with what the reader typed, ready to send again without being stored twice."""

import re
from contextlib import contextmanager
from html import unescape
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from painrelief.comments.models import Comment
from tests.comments.conftest import GUEST, form_stamp
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@contextmanager
def database_down():
    """Every query fails as it does when PostgreSQL has stopped."""
    refused = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    with (
        mock.patch.object(CursorWrapper, "execute", side_effect=refused),
        mock.patch.object(CursorWrapper, "executemany", side_effect=refused),
    ):
        yield


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def kept_fields(html: str) -> dict[str, str]:
    return {
        name: unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)
    }


def post_url(article):
    return reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})


def test_a_page_during_the_outage_is_a_503_that_asks_to_retry(visitor):
    with database_down():
        response = visitor.get(reverse("articles:list"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "back in a moment" in response.text


def test_a_comment_posted_during_the_outage_comes_back_with_its_text(visitor):
    article = ArticleFactory()
    body = "My neck is stiff every morning.\nThe heat pack helps for an hour or so."
    sent = {**GUEST, "body": body, "form_stamp": form_stamp()}

    with database_down():
        response = visitor.post(post_url(article), sent)

    assert response.status_code == 503
    assert f"{body}</textarea>" in unescape(response.text)
    assert kept_fields(response.text) | {"csrfmiddlewaretoken": ""} == sent | {
        "csrfmiddlewaretoken": ""
    }
    assert f'action="{post_url(article)}"' in response.text
    assert not Comment.objects.exists()


def test_sending_again_after_the_outage_stores_the_comment_once(visitor):
    """Also when the first copy had reached the database before the failure."""
    article = ArticleFactory()
    sent = {**GUEST, "form_stamp": form_stamp()}
    visitor.post(post_url(article), sent)  # stored, but the reader saw an error page

    with database_down():
        kept = kept_fields(visitor.post(post_url(article), sent).text)
    again = visitor.post(post_url(article), kept)

    (comment,) = Comment.objects.all()
    assert again.status_code == 302 and again.url.endswith(f"#comment-{comment.pk}")


def test_passwords_are_never_written_back_into_the_page(visitor):
    with database_down():
        response = visitor.post(
            reverse("accounts:signup"),
            {
                "email": "ruth@example.org",
                "display_name": "Ruth",
                "password1": "s3cret-Pass!",
                "password2": "s3cret-Pass!",
            },
        )

    assert response.status_code == 503
    assert "s3cret-Pass!" not in response.text
    assert 'value="ruth@example.org"' in response.text


def test_any_other_error_is_still_the_500_page(visitor):
    with mock.patch("articles.views.ArticleListView.get", side_effect=ZeroDivisionError):
        response = visitor.get(reverse("articles:list"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
