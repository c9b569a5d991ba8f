"""What readers see: home, lists, categories, tags, the article page, previews and search."""

import json
import re
from datetime import timedelta

import pytest
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Category
from painrelief.sitemaps import SectionSitemap
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    TagFactory,
    UserFactory,
    coach,
    moderator,
)

from .conftest import jpeg_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    upper = Category.objects.create(name="Upper back pain")
    shoulder = Category.objects.create(name="Shoulder pain", parent=upper)
    return upper, shoulder


def days_ago(n):
    return timezone.now() - timedelta(days=n)


def test_home_shows_the_featured_article_and_the_latest_with_continue_reading(client):
    featured = ArticleFactory(
        title="Featured: the knot guide", featured=True, published_at=days_ago(9)
    )
    latest = ArticleFactory(
        title="Newest article", summary="A short summary.", published_at=days_ago(1)
    )
    ArticleFactory(title="A draft", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(title="Scheduled one", published_at=timezone.now() + timedelta(days=2))

    html = client.get(reverse("home")).text

    assert html.index("Featured: the knot guide") < html.index("Newest article")
    assert "A short summary." in html
    assert html.count(f'href="{latest.get_absolute_url()}" class="continue-reading"') == 1
    assert featured.get_absolute_url() in html
    assert "A draft" not in html and "Scheduled one" not in html


def test_without_a_summary_the_teaser_is_the_opening_of_the_body_cut_on_a_word(client):
    ArticleFactory(summary="", body="Knots " + "release slowly " * 60)

    html = client.get(reverse("articles:list")).text

    assert "Knots release slowly release" in html
    assert re.search(r"slowly release…|release slowly…", html)


def test_article_list_is_paginated_and_bad_page_numbers_are_404(client, settings):
    for n in range(settings.ARTICLES_PER_PAGE + 2):
        ArticleFactory(title=f"Article {n:02d}", published_at=days_ago(n + 1))

    first = client.get(reverse("articles:list"))
    second = client.get(reverse("articles:list"), {"page": 2})

    assert "Article 00" in first.text and "Article 11" not in first.text
    assert "Article 11" in second.text and 'rel="prev"' in second.text
    assert '<link rel="canonical" href="http://testserver/articles/?page=2">' in second.text
    for bad in ("3", "0", "abc", "-1", "99999999999999999999"):
        assert client.get(reverse("articles:list"), {"page": bad}).status_code == 404, bad


def test_category_page_lists_its_articles_and_those_of_its_subcategories(client, tree):
    upper, shoulder = tree
    ArticleFactory(title="In upper", category=upper)
    ArticleFactory(title="In shoulder", category=shoulder)
    ArticleFactory(title="Elsewhere")

    upper_page = client.get("/articles/category/upper-back-pain/")
    shoulder_page = client.get("/articles/category/upper-back-pain/shoulder-pain/")

    assert "In upper" in upper_page.text and "In shoulder" in upper_page.text
    assert "Elsewhere" not in upper_page.text
    assert "In shoulder" in shoulder_page.text and "In upper" not in shoulder_page.text
    assert 'href="/articles/category/upper-back-pain/">Upper back pain</a>' in shoulder_page.text


@pytest.mark.parametrize(
    "url",
    [
        "/articles/category/no-such-thing/",
        "/articles/category/upper-back-pain/no-such-thing/",
        "/articles/category/upper-back-pain/shoulder-pain/feed/nope/",
        "/articles/tag/no-such-tag/",
        "/articles/no-such-article/",
        "/articles/category/no-such-thing/feed/",
    ],
)
def test_unknown_categories_tags_and_articles_are_404(client, tree, url):
    assert client.get(url).status_code == 404


def test_tag_page_lists_the_published_articles_with_the_tag(client):
    knots = TagFactory(name="knots")
    ArticleFactory(title="Tagged", tags=[knots])
    ArticleFactory(
        title="Tagged draft", tags=[knots], status=Article.Status.DRAFT, published_at=None
    )
    ArticleFactory(title="Not tagged")

    html = client.get(reverse("articles:tag", kwargs={"slug": "knots"})).text

    assert "Tagged" in html and "Tagged draft" not in html and "Not tagged" not in html


def test_article_page_shows_everything_a_reader_expects(client, tree):
    _upper, shoulder = tree
    tag = TagFactory(name="trigger points")
    article = ArticleFactory(
        title="The knot between shoulder blade and spine",
        category=shoulder,
        tags=[tag],
        body="## Why\n\nBecause.\n\nhttps://youtu.be/4pKly2JojMw\n\n" + "word " * 700,
        published_at=days_ago(30),
    )
    Article.objects.filter(pk=article.pk).update(updated_at=days_ago(2))
    older = ArticleFactory(title="An older article", published_at=days_ago(40), tags=[tag])
    newer = ArticleFactory(title="A newer article", published_at=days_ago(10), category=shoulder)
    ArticleFactory(title="Unrelated article", published_at=days_ago(50))

    response = client.get(article.get_absolute_url())
    html = response.text

    assert '<h1 id="article-title">The knot between shoulder blade and spine</h1>' in html
    assert "By Coach Elena" in html and "4 min read" in html and "Updated" in html
    assert '<h2 id="why">Why</h2>' in html
    assert 'data-player="https://www.youtube-nocookie.com/embed/4pKly2JojMw"' in html
    assert "youtube-nocookie.com" in response.headers["Content-Security-Policy"]
    assert f'href="{tag.get_absolute_url()}" rel="tag">trigger points</a>' in html
    assert '<a href="/articles/category/upper-back-pain/">Upper back pain</a>' in html
    assert '<a href="/articles/category/upper-back-pain/shoulder-pain/">Shoulder pain</a>' in html
    assert f'rel="prev" href="{older.get_absolute_url()}"' in html
    assert f'rel="next" href="{newer.get_absolute_url()}"' in html
    related = html.split('id="related-heading"')[1]
    # Sharing a tag ranks above sharing the category; nothing in common is not related.
    assert related.index("An older article") < related.index("A newer article")
    assert "Unrelated article" not in related
    for share in (
        "mailto:?",
        "facebook.com/sharer",
        "x.com/intent/post",
        "pinterest.com/pin",
        "Copy link",
    ):
        assert share in html
    assert '<script src="https://' not in html


def test_article_page_has_search_engine_and_social_metadata(client):
    article = ArticleFactory(
        title='Knots </script><script>alert("x")</script>', summary="Short & sweet."
    )
    services.set_hero_image(article=article, upload=jpeg_upload())
    article.hero_alt = "A hand pressing a knot"
    article.save()

    html = client.get(article.get_absolute_url()).text
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(json_ld)

    assert data["@type"] == "Article" and data["headline"] == article.title
    assert data["author"] == {"@type": "Person", "name": "Coach Elena"}
    assert data["image"][0].startswith("http://testserver/media/articles/")
    assert "</script><script>" not in json_ld
    canonical = f"http://testserver{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:description" content="Short &amp; sweet.">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert (
        f"<title>{article.title.replace('<', '&lt;').replace('>', '&gt;')}".replace('"', "&quot;")
        in html
    )


def test_hero_is_a_responsive_picture_with_dimensions_and_alt(client):
    article = ArticleFactory()
    services.set_hero_image(article=article, upload=jpeg_upload(width=1000, height=600))
    article.hero_alt = "A hand pressing a knot"
    article.save()

    html = client.get(article.get_absolute_url()).text
    picture = re.search(r"<picture>.*?</picture>", html, re.S).group(0)

    assert '<source type="image/webp" srcset="/media/articles/' in picture
    assert re.search(
        r"480\.webp 480w, /media/articles/\w+/800\.webp 800w, /media/articles/\w+/1000\.webp 1000w",
        picture,
    )
    assert 'width="1000" height="600"' in picture and 'alt="A hand pressing a knot"' in picture
    assert 'sizes="(min-width: 992px) 800px, 100vw"' in picture


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 404), ("reader", 404), ("moderator", 404), ("coach", 200)],
)
@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_drafts_and_scheduled_articles_are_seen_by_coaches_only_with_a_preview_banner(
    client, who, status, state
):
    if state == "draft":
        article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    else:
        article = ArticleFactory(published_at=timezone.now() + timedelta(hours=3))
    user = {"reader": UserFactory, "moderator": moderator, "coach": coach}.get(who)
    if user:
        client.force_login(user())

    response = client.get(article.get_absolute_url())

    assert response.status_code == status
    if status == 200:
        assert (
            "Preview." in response.text
            and '<meta name="robots" content="noindex">' in response.text
        )
        assert ("scheduled" if state == "scheduled" else "draft") in response.text


def test_a_scheduled_article_appears_once_its_date_has_come_without_any_job(client):
    article = ArticleFactory(published_at=timezone.now() + timedelta(minutes=5))
    assert client.get(article.get_absolute_url()).status_code == 404

    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))

    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.title in client.get(reverse("home")).text


def test_an_old_address_of_a_published_article_redirects_permanently(client):
    article = ArticleFactory(slug="old-name")
    article.slug = "new-name"
    article.save()
    services.record_slug_change(article=article, old_slug="old-name")

    response = client.get("/articles/old-name/")

    assert response.status_code == 301 and response.headers["Location"] == "/articles/new-name/"


def test_search_finds_articles_by_title_and_body_with_highlighted_snippets(client):
    ArticleFactory(
        title="Releasing the trapezius", body="Press 1 < 2 & wait for the trapezius to soften."
    )
    ArticleFactory(title="Lower back", body="Nothing about shoulders.")
    ArticleFactory(title="Trapezius draft", status=Article.Status.DRAFT, published_at=None)

    html = client.get(reverse("search"), {"q": "trapezius"}).text

    assert "1 article matches “trapezius”." in html
    assert (
        "Releasing the trapezius" in html
        and "Lower back" not in html
        and "Trapezius draft" not in html
    )
    snippet = html.split('class="mb-0 search-snippet">')[1].split("</p>")[0]
    assert "<mark>trapezius</mark>" in snippet
    assert "1 &lt; 2 &amp; wait" in snippet  # the body's text is escaped, only <mark> is ours


def test_search_without_results_or_query_says_so_and_bad_pages_are_404(client):
    ArticleFactory(title="Neck")

    assert "Nothing matches “zebra”" in client.get(reverse("search"), {"q": "zebra"}).text
    assert "Type a few words" in client.get(reverse("search")).text
    assert client.get(reverse("search"), {"q": "neck", "page": "9"}).status_code == 404


def test_sitemap_lists_published_articles_categories_and_pages_but_not_drafts(client, tree):
    upper, _ = tree
    public = ArticleFactory(category=upper)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    index = client.get("/sitemap.xml").text
    xml = "".join(
        client.get(f"/sitemap-{section}.xml").text
        for section in ("pages", "articles", "categories")
    )

    for section in ("pages", "articles", "categories", "questions"):
        assert f"<loc>http://testserver/sitemap-{section}.xml</loc>" in index
    assert f"http://testserver{public.get_absolute_url()}" in xml
    assert f"http://testserver{upper.get_absolute_url()}" in xml
    assert "<loc>http://testserver/</loc>" in xml
    assert draft.get_absolute_url() not in xml


def test_the_sitemap_index_lists_every_page_of_a_long_section_with_its_last_change(
    client, monkeypatch
):
    """Each page of a section holds SectionSitemap.limit addresses; the index names them all."""
    monkeypatch.setattr(SectionSitemap, "limit", 2)
    articles = ArticleFactory.create_batch(5)
    newest = max(article.updated_at for article in articles)

    index = client.get("/sitemap.xml").text
    pages = [client.get("/sitemap-articles.xml", {"p": p}) for p in (1, 2, 3, 4)]

    assert "/sitemap-articles.xml?p=3</loc>" in index
    assert "/sitemap-articles.xml?p=4" not in index
    assert f"<lastmod>{date(timezone.localtime(newest), 'c')}</lastmod>" in index
    assert [page.status_code for page in pages] == [200, 200, 200, 404]
    listed = "".join(page.text for page in pages[:3])
    assert all(article.get_absolute_url() in listed for article in articles)


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_pages(client):
    response = client.get("/robots.txt")

    assert response.headers["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


def test_feeds_carry_full_text_or_summary_as_the_coach_chose_and_skip_drafts(client, tree):
    upper, shoulder = tree
    ArticleFactory(title="Full one", category=shoulder, body="## Full body here")
    ArticleFactory(
        title="Summary one", summary="Only the summary.", feed_content="summary", body="Secret body"
    )
    ArticleFactory(title="Draft one", status=Article.Status.DRAFT, published_at=None)

    rss = client.get(reverse("articles:feed"))
    atom = client.get(reverse("articles:feed-atom")).text
    category = client.get(reverse("articles:category-feed", kwargs={"path": upper.path})).text

    assert rss.headers["Content-Type"].startswith("application/rss+xml")
    assert "Full one" in rss.text and '&lt;h2 id="full-body-here"&gt;Full body here' in rss.text
    assert "Only the summary." in rss.text and "Secret body" not in rss.text
    assert "Draft one" not in rss.text
    assert "<feed" in atom and "Full one" in atom
    assert "Full one" in category and "Summary one" not in category


# --- A fixed number of queries per page, whatever the amount of data -------------------


def make_articles(count, categories, tags):
    for n in range(count):
        article = ArticleFactory(
            title=f"Article {n}",
            category=categories[n % len(categories)],
            tags=tags[n % len(tags) :][:3],
            published_at=days_ago(n + 1),
            featured=n % 7 == 0,
            summary="" if n % 2 else "Summary with knot",
            body=f"Knot {n} between the shoulder blades.",
        )
        if n < 2:
            services.set_hero_image(article=article, upload=jpeg_upload(width=500, height=300))
            Article.objects.filter(pk=article.pk).update(hero_alt="alt")


PAGES = {
    "home": lambda data: reverse("home"),
    "list": lambda data: reverse("articles:list"),
    "list page 2": lambda data: reverse("articles:list") + "?page=2",
    "category": lambda data: data["shoulder"].get_absolute_url(),
    "tag": lambda data: data["tags"][0].get_absolute_url(),
    "detail": lambda data: data["article"].get_absolute_url(),
    "search": lambda data: reverse("search") + "?q=knot",
    "rss": lambda data: reverse("articles:feed"),
    "atom": lambda data: reverse("articles:feed-atom"),
    "category feed": lambda data: reverse(
        "articles:category-feed", kwargs={"path": data["upper"].path}
    ),
    "sitemap": lambda data: "/sitemap.xml",
    "sitemap of articles": lambda data: "/sitemap-articles.xml",
    "sitemap of categories": lambda data: "/sitemap-categories.xml",
}
QUERIES = {
    # home: featured + latest; list/tag: count + page; category: category + count + page
    # + breadcrumb + sub-categories; detail: article + tags + breadcrumb + previous + next + related
    # + comments (approved count, thread count, the page's threads); search: + the questions
    # answered; sitemap index: count + latest change of each section (categories' is the
    # articles'); a section's page: count + items
    "home": 2,
    "list": 2,
    "list page 2": 2,
    "category": 5,
    "tag": 3,
    "detail": 9,
    "search": 3,
    "rss": 2,
    "atom": 2,
    "category feed": 3,
    "sitemap": 6,
    "sitemap of articles": 2,
    "sitemap of categories": 2,
}
STORING = 1  # a page kept in the cache: when the next scheduled article goes public


def data_of_size(count):
    upper = CategoryFactory(name="Upper")
    shoulder = CategoryFactory(name="Shoulder", parent=upper)
    neck = CategoryFactory(name="Neck", parent=upper)
    tags = [TagFactory() for _ in range(max(3, count // 3))]
    make_articles(count, [upper, shoulder, neck], tags)
    article = Article.objects.filter(category=shoulder).order_by("published_at")[len(tags) // 4]
    return {"upper": upper, "shoulder": shoulder, "tags": tags, "article": article}


@pytest.mark.parametrize("size", [12, 40])
@pytest.mark.parametrize("page", PAGES)
def test_public_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries, page, size):
    data = data_of_size(size)
    url = PAGES[page](data)

    with django_assert_num_queries(QUERIES[page] + STORING):
        response = client.get(url)
    with django_assert_num_queries(0):
        cached = client.get(url)

    assert response.status_code == cached.status_code == 200
    assert cached.content == response.content
