"""A NUL (or a lone surrogate) read from a request never reaches a query: PostgreSQL refuses it
in text, and each of these was a 500 there."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from painrelief.comments.models import Comment
from painrelief.text import query_text
from questions.models import BodyArea
from tests.comments.conftest import GUEST, form_stamp
from tests.factories import ArticleFactory, CategoryFactory, QuestionFactory, coach

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def test_query_text_removes_nul_and_lone_surrogates_and_keeps_the_rest():
    assert query_text("neck\x00 pain\ud800 👩\u200d⚕️ \t") == "neck pain 👩\u200d⚕️ \t"


@pytest.mark.parametrize("query", ["%00", "neck%00", "%00neck%00"])
def test_a_nul_in_the_search_box_is_ignored(visitor, query):
    ArticleFactory(title="A stiff neck in the morning")

    response = visitor.get(f"{reverse('search')}?q={query}")

    assert response.status_code == 200
    if "neck" in query:
        assert "A stiff neck in the morning" in response.text


def test_a_nul_in_the_body_area_filter_is_ignored(visitor):
    BodyArea.objects.get_or_create(slug="neck", defaults={"name": "Neck"})

    assert visitor.get(f"{reverse('questions:list')}?area=%00").status_code == 404
    assert visitor.get(f"{reverse('questions:list')}?area=neck%00").status_code == 200


@pytest.mark.parametrize("name", ["articles:category", "articles:category-feed"])
def test_a_nul_in_a_category_address_is_ignored(visitor, name):
    CategoryFactory(name="Neck")

    url = reverse(name, kwargs={"path": "neck"})

    assert visitor.get(url.replace("/neck/", "/%00/")).status_code == 404
    assert visitor.get(url.replace("/neck/", "/neck%00/")).status_code == 200


def test_a_session_cookie_with_a_nul_is_no_session(visitor):
    visitor.cookies["sessionid"] = "abcdefghijkl\x00mnop"  # sent as a quoted "\000"

    response = visitor.get(reverse("home"))

    assert response.status_code == 200
    assert "Log in" in response.text


def test_a_user_agent_with_a_nul_is_stored_without_it():
    client = Client(raise_request_exception=False, HTTP_USER_AGENT="Mozilla/5.0\x00 (X11)")
    article = ArticleFactory()
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})

    response = client.post(url, {**GUEST, "form_stamp": form_stamp()})

    assert response.status_code == 302
    assert Comment.objects.get().user_agent == "Mozilla/5.0 (X11)"


def test_the_privacy_export_ignores_a_nul_in_the_address(visitor):
    QuestionFactory(email="anna@example.net", body="My private case.")
    visitor.force_login(coach())

    response = visitor.post(
        reverse("admin:questions_privacy"), {"email": "anna@example.net\x00", "action": "export"}
    )

    assert response.status_code == 200
    assert json.loads(response.content)["questions"][0]["case"] == "My private case."
