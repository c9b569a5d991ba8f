"""Hostile comment bodies and names are rendered harmless; no email address is ever public."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from painrelief.comments.models import Comment
from painrelief.comments.rendering import render_comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory
from tests.html import TagCollector

from .conftest import GUEST

pytestmark = pytest.mark.django_db


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(document.cookie)",
    "[click](javascript:alert(1))",
    'http://example.org/"onmouseover="alert(1)',
    "https://example.org/<script>x</script>",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
]


@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_markup_comes_out_as_text_or_a_plain_nofollow_link(body):
    html = render_comment(body)

    for tag, attrs in TagCollector(html).elements:
        assert tag in {"p", "br", "a"}, html
        if tag == "a":
            assert set(attrs) == {"href", "rel"}, html
            assert attrs["href"].startswith(("http://", "https://")), html
            assert attrs["rel"] == "nofollow ugc noopener"


def test_paragraphs_and_line_breaks_are_kept_and_addresses_linked():
    html = render_comment(
        "First line\nsecond line\n\nSee https://physio.example.org/neck?a=1&b=2 today."
    )

    assert html == (
        "<p>First line<br>second line</p>\n\n<p>See "
        '<a href="https://physio.example.org/neck?a=1&amp;b=2" rel="nofollow ugc noopener">'
        "https://physio.example.org/neck?a=1&amp;b=2</a> today.</p>"
    )


def test_an_address_without_a_scheme_is_linked_over_https():
    """As Django will by default from 2028 (URLIZE_ASSUME_HTTPS): a reader's link should not
    send the next reader over plain HTTP."""
    assert render_comment("see www.physio.example.org") == (
        '<p>see <a href="https://www.physio.example.org" rel="nofollow ugc noopener">'
        "www.physio.example.org</a></p>"
    )


def test_email_addresses_in_a_body_are_not_made_into_links():
    assert render_comment("write to me@example.org") == "<p>write to me@example.org</p>"


def test_direction_overrides_and_zero_width_characters_are_dropped_joiners_kept():
    html = render_comment("exe.\u202egnp\u200b photo \u2066x\u2069 \ufeff👩\u200d⚕️")

    assert html == "<p>exe.gnp photo x 👩\u200d⚕️</p>"


def test_a_very_long_word_is_kept_and_the_page_wraps_it(client, article):
    CommentFactory(target=article, body="a" * 3000)

    html = client.get(article.get_absolute_url()).text

    assert "a" * 3000 in html
    stylesheet = Path(finders.find("css/site.css")).read_text()
    assert re.search(r"\.comment-content \{[^}]*overflow-wrap: anywhere", stylesheet)


@pytest.mark.parametrize(
    "field",
    [
        {"name": '<script>alert("n")</script>'},
        {"website": 'https://example.org/"><script>alert(1)</script>'},
        {"body": '<img src=x onerror=alert(1)> and "quotes"'},
    ],
)
def test_hostile_fields_posted_through_the_form_never_run(client, article, field, settings):
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = False
    response = client.post(
        reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk}),
        {**GUEST, **field},
    )

    page = client.get(article.get_absolute_url()).text
    assert response.status_code in (302, 400)
    assert "<script>alert" not in page and "<img src=x" not in page


def test_no_email_address_appears_on_any_public_page_or_feed(client):
    article = ArticleFactory(title="Knots")
    reader = UserFactory(email="reader.secret@example.org", display_name="Jonas")
    top = CommentFactory(target=article, email="guest.secret@example.net", website="https://x.org")
    CommentFactory(parent=top, user=reader, email="")
    CommentFactory(target=article, status="pending", email="held.secret@example.net")
    visitor = Client()

    pages = [
        article.get_absolute_url(),
        article.get_absolute_url() + f"?replytocom={top.pk}",
        reverse("home"),
        reverse("articles:list"),
        reverse("articles:feed"),
        reverse("articles:feed-atom"),
        "/sitemap.xml",
        reverse("search") + "?q=knots",
    ]
    for url in pages:
        text = visitor.get(url, follow=True).text
        assert "secret@" not in text, url
    assert Comment.objects.filter(email__contains="secret@").count() == 2
