import time

import pytest
from django.core import signing
from django.urls import reverse

from painrelief.spam.forms import STAMP_SALT
from tests.factories import ArticleFactory


@pytest.fixture
def article(db):
    return ArticleFactory(title="Knots between the shoulder blades")


@pytest.fixture
def post_comment(client, django_capture_on_commit_callbacks):
    """Post the comment form of an article as the client's visitor; emails are sent."""

    def post(article, **data):
        data.setdefault("form_stamp", form_stamp())
        url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


GUEST = {"name": "Maria", "email": "maria@example.net", "body": "My neck is stiff every morning."}


def form_stamp(seconds_ago: float = 40) -> str:
    """The signed "form shown at" value of a form shown `seconds_ago` (a person's pace)."""
    return signing.dumps(time.time() - seconds_ago, salt=STAMP_SALT)
