"""A request we cannot read gets our own 400 page, which says why in plain words; nothing on the
way (the CSRF check, the error handler) reads the body again and turns it into a 500."""

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import Client, RequestFactory
from django.urls import reverse

from painrelief.comments.models import Comment
from painrelief.errors import bad_request
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

OUR_PAGE = "We could not read what your browser sent"


@pytest.fixture
def browser():
    """A visitor whose CSRF check is enforced as in production, holding the CSRF cookie."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(reverse("accounts:login"))
    return client


def post_url(article):
    return reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})


def send(client, url, body: bytes, content_type: str):
    return client.generic("POST", url, data=body, content_type=content_type)


@pytest.mark.parametrize("where", ["comment", "login"])
def test_a_form_posted_in_utf16_gets_our_400_page_that_names_the_encoding(browser, where):
    article = ArticleFactory()
    url = post_url(article) if where == "comment" else reverse("accounts:login")
    token = browser.cookies["csrftoken"].value
    body = f"csrfmiddlewaretoken={token}&name=Maria&body=Hello".encode("utf-16")

    response = send(browser, url, body, "application/x-www-form-urlencoded; charset=utf-16")

    assert response.status_code == 400
    assert OUR_PAGE in response.text
    assert "a text encoding we do not read (utf-16); we read UTF-8 only" in response.text
    assert not Comment.objects.exists()


def test_a_body_over_the_upload_limit_gets_our_400_page_with_the_limit(browser):
    article = ArticleFactory()
    body = b"name=Maria&body=" + b"a" * (2_621_440 + 1)

    response = send(browser, post_url(article), body, "application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert OUR_PAGE in response.text
    assert "larger than we accept (2.5\xa0MB at most)" in response.text


def test_a_form_with_too_many_fields_gets_our_400_page_with_the_limit(browser):
    article = ArticleFactory()
    body = "&".join(f"field{n}=x" for n in range(1_001)).encode()

    response = send(browser, post_url(article), body, "application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert "more fields than we accept (1,000 at most)" in response.text


def test_a_damaged_multipart_form_gets_our_400_page(browser):
    article = ArticleFactory()

    response = send(browser, post_url(article), b"--x\r\n", "multipart/form-data")

    assert response.status_code == 400
    assert "arrived incomplete or damaged" in response.text


def test_the_400_page_needs_no_database_and_no_context_processor(django_assert_num_queries):
    request = RequestFactory().post("/", data=b"a=1", content_type="text/plain")

    with django_assert_num_queries(0):
        response = bad_request(request, RequestDataTooBig("too big"))

    assert response.status_code == 400
    assert OUR_PAGE in response.content.decode()
