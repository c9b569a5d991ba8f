"""RSS of the newest approved comments, site-wide and per article (issue 15, item 4)."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, CommentFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE_FEED = reverse("comments:feed")


def article_feed(article):
    return reverse("articles:comments-feed", kwargs={"slug": article.slug})


def items(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 (our own feed, in a test)
    return [{child.tag: (child.text or "") for child in item} for item in channel.findall("item")]


def test_the_site_feed_has_approved_comments_on_public_pages_newest_first(client):
    article = ArticleFactory(title="Knots between the shoulders")
    older = CommentFactory(
        target=article, name="Rosa", body="Heat helped me.", email="rosa@mail.example"
    )
    older.created_at = timezone.now() - timedelta(hours=2)
    older.save()
    reader = UserFactory(display_name="Mira from Leeds")
    CommentFactory(target=article, user=reader, name="not shown", body="Stretching works.")
    question = QuestionFactory(public=True, public_title="A stiff neck at work")
    CommentFactory(target=question, name="Tom", body="Same here.")
    CommentFactory(target=article, status="pending", body="Held words")
    CommentFactory(target=article, status="spam", body="Spam words")
    CommentFactory(target=article, status="removed", body="Removed words")
    draft = ArticleFactory(status=Article.Status.DRAFT, title="Draft title")
    CommentFactory(target=draft, body="On a draft")
    private = QuestionFactory(title="Private case title")
    CommentFactory(target=private, body="On a private question")

    response = client.get(SITE_FEED)
    feed = items(response)
    text = response.content.decode()

    assert [item["title"] for item in feed] == [
        "Tom on “A stiff neck at work”",
        "Mira from Leeds on “Knots between the shoulders”",
        "Rosa on “Knots between the shoulders”",
    ]
    assert feed[-1]["description"] == "<p>Heat helped me.</p>"
    assert feed[-1]["link"].endswith(reverse("comments:permalink", kwargs={"pk": older.pk}))
    for hidden in ("Held words", "Spam words", "Removed words", "On a draft", "Private case"):
        assert hidden not in text
    assert "@" not in text  # no email address, not even the reader's account's


def test_an_article_feed_has_only_its_approved_comments(client):
    article, other = ArticleFactory(title="Lower back"), ArticleFactory()
    CommentFactory(target=article, name="Ana", body="Thank you.")
    CommentFactory(target=article, status="pending", body="Held words")
    CommentFactory(target=other, body="Elsewhere")

    response = client.get(article_feed(article))
    feed = items(response)

    assert [item["title"] for item in feed] == ["Ana on “Lower back”"]
    assert "Held words" not in response.content.decode()


@pytest.mark.parametrize("status", ["draft", "scheduled"])
def test_an_unpublished_article_has_no_comment_feed(client, status):
    article = ArticleFactory(
        status="draft" if status == "draft" else "published",
        published_at=None if status == "draft" else timezone.now() + timedelta(days=1),
    )
    CommentFactory(target=article)

    assert client.get(article_feed(article)).status_code == 404


def test_the_pages_link_their_comment_feeds(client):
    article = ArticleFactory()

    html = client.get(article.get_absolute_url()).text

    assert f'href="{SITE_FEED}"' in html
    assert f'href="{article_feed(article)}"' in html


@pytest.mark.parametrize("url", ["site", "article"])
def test_feeds_cost_the_same_queries_whatever_the_number_of_comments(client, url):
    article = ArticleFactory()
    question = QuestionFactory(public=True)
    path = SITE_FEED if url == "site" else article_feed(article)

    def queries_with(count):
        for _ in range(count):
            CommentFactory(target=article, user=UserFactory())
            CommentFactory(target=question)
        cache.clear()  # the rendering's cost, not the page cache's
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    assert queries_with(1) == queries_with(10)
