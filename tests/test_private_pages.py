"""Personal pages are never kept by a shared cache or the browser's history: they answer
`Cache-Control: private, no-store`. Public pages are left cacheable."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from painrelief.accounts.emails import confirmation_tokens
from painrelief.comments import links as comment_links
from painrelief.downloads import emails as download_emails
from painrelief.downloads.models import DownloadRequest
from questions import links as question_links
from tests.downloads.conftest import make_resource
from tests.factories import ArticleFactory, CommentFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def private_pages(reader):
    question = QuestionFactory(user=reader)
    own = CommentFactory(user=reader, email="")
    guests = CommentFactory(email="maria@example.net", notify_replies=True)
    resource = make_resource()
    request = DownloadRequest.objects.create(
        resource=resource, email="maria@example.net", consent_text="ok"
    )
    token = question_links.private_token(question)
    return {
        "ask the coach": reverse("questions:ask"),
        "thank-you page with the private link": reverse("questions:sent", args=[token]),
        "private question": reverse("questions:private", args=[token]),
        "my questions": reverse("questions:mine"),
        "sign-up": reverse("accounts:signup"),
        "profile": reverse("accounts:profile"),
        "password change": reverse("accounts:password-change"),
        "own comment's edit page": reverse("comments:edit", args=[own.pk]),
        "guest's manage page": reverse(
            "comments:manage", args=[comment_links.manage_token(guests)]
        ),
        "unsubscribe page": reverse(
            "comments:unsubscribe", args=[comment_links.unsubscribe_token(guests)]
        ),
        "download form": reverse("downloads:resource", args=[resource.pk]),
        "private report": reverse(
            "downloads:download", args=[download_emails.download_token(request)]
        ),
        "address confirmation page": reverse(
            "accounts:confirm-email",
            args=[
                urlsafe_base64_encode(force_bytes(reader.pk)),
                confirmation_tokens.make_token(reader),
            ],
        ),
        "forget-me page": reverse(
            "downloads:forget-email", args=[download_emails.forget_token(request)]
        ),
    }


def test_every_personal_page_says_private_no_store():
    reader = UserFactory()
    client = Client()
    client.force_login(reader)

    kept = {
        name: client.get(url).get("Cache-Control", "")
        for name, url in private_pages(reader).items()
    }

    assert {name: header for name, header in kept.items() if "no-store" not in header} == {}
    assert all("private" in header for header in kept.values())


def test_a_comment_form_with_errors_is_not_kept_either(client):
    article = ArticleFactory()
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})

    response = client.post(url, {"name": "Maria", "email": "not an address", "body": "Hi"})

    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]


def test_public_pages_stay_cacheable(client):
    article = ArticleFactory()

    for url in (reverse("home"), reverse("articles:list"), article.get_absolute_url()):
        assert "no-store" not in client.get(url).get("Cache-Control", "")
