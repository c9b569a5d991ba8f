"""The coach's writing desk in the admin, and what moderators may not do there."""

import io

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRedirect, Category, Picture
from tests.factories import ArticleFactory, CategoryFactory, TagFactory, coach, moderator

from .conftest import jpeg_upload

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
PREVIEW_URL = reverse("admin:articles_article_preview")


@pytest.fixture
def coach_client(client):
    user = coach()
    client.force_login(user)
    client.user = user
    return client


def article_form(user, category, **overrides):
    now = timezone.localtime()
    return {
        "title": "Tight chest muscles and a rounded back",
        "slug": "",
        "author": user.pk,
        "category": category.pk,
        "summary": "",
        "body": "# Why it happens\n\nDesk work.\n\nhttps://youtu.be/4pKly2JojMw\n",
        "hero_alt": "",
        "status": "published",
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": now.strftime("%H:%M:%S"),
        "comments_open": "on",
        "feed_content": "full",
        **overrides,
    }


def test_the_coach_writes_illustrates_and_publishes_an_article(coach_client):
    category = CategoryFactory(name="Chest and posture")
    tag = TagFactory(name="posture")
    form = article_form(coach_client.user, category, tags=[tag.pk], hero_alt="A rounded back")
    form["hero_upload"] = jpeg_upload(width=1700, height=900)

    response = coach_client.post(ADD_URL, form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.slug == "tight-chest-muscles-and-a-rounded-back"
    assert article.is_public and list(article.tags.all()) == [tag]
    assert '<h2 id="why-it-happens">Why it happens</h2>' in article.body_html
    assert sorted(article.hero["webp"], key=int) == ["480", "800", "1200", "1600"]
    assert (article.hero["width"], article.hero["height"]) == (1600, 847)
    assert all(default_storage.exists(name) for name in article.hero["jpeg"].values())
    assert Client().get(article.get_absolute_url()).status_code == 200


def test_a_picture_without_alt_text_or_a_broken_file_is_refused_and_the_text_is_kept(coach_client):
    category = CategoryFactory()
    form = article_form(coach_client.user, category, hero_upload=jpeg_upload())

    no_alt = coach_client.post(ADD_URL, form)
    broken = coach_client.post(
        ADD_URL,
        article_form(
            coach_client.user, category, hero_alt="x", hero_upload=io.BytesIO(b"not a picture")
        ),
    )

    assert no_alt.status_code == 200
    assert "Describe the hero image for readers who cannot see it." in no_alt.text
    assert "Tight chest muscles and a rounded back" in no_alt.text and "Desk work." in no_alt.text
    assert "not an image we can read" in broken.text
    assert not Article.objects.exists()


def test_a_title_used_twice_gets_a_suffix_and_a_typed_duplicate_slug_gets_an_error(coach_client):
    category = CategoryFactory()
    ArticleFactory(title="Tight chest muscles and a rounded back")

    coach_client.post(ADD_URL, article_form(coach_client.user, category))
    duplicate = coach_client.post(
        ADD_URL,
        article_form(coach_client.user, category, slug="tight-chest-muscles-and-a-rounded-back"),
    )
    reserved = coach_client.post(ADD_URL, article_form(coach_client.user, category, slug="search"))

    assert Article.objects.filter(slug="tight-chest-muscles-and-a-rounded-back-2").exists()
    assert duplicate.status_code == 200 and "already uses this address" in duplicate.text
    assert reserved.status_code == 200 and "is a reserved address" in reserved.text


def test_renaming_a_published_article_keeps_its_slug_and_changing_the_slug_redirects(coach_client):
    article = ArticleFactory(title="Old title", author=coach_client.user)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    form = article_form(coach_client.user, article.category, title="New title", slug=article.slug)

    coach_client.post(change_url, form)
    article.refresh_from_db()
    assert article.slug == "old-title"

    coach_client.post(change_url, form | {"slug": "new-title"})

    assert ArticleRedirect.objects.get().old_slug == "old-title"
    assert Client().get("/articles/old-title/").headers["Location"] == "/articles/new-title/"


def test_the_live_preview_uses_the_site_renderer(coach_client):
    response = coach_client.post(
        PREVIEW_URL, {"body": "## Hi\n\n<script>alert(1)</script>\n\n**bold**"}
    )

    html = response.json()["html"]
    assert '<h2 id="hi">Hi</h2>' in html and "<p><strong>bold</strong></p>" in html
    assert "script" not in html


def test_the_live_preview_requires_the_csrf_token(coach_client):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coach_client.user)

    assert strict.post(PREVIEW_URL, {"body": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("url", "method"),
    [
        (ADD_URL, "get"),
        (PREVIEW_URL, "post"),
        (reverse("admin:articles_category_add"), "get"),
        (reverse("admin:downloads_resource_add"), "get"),
    ],
)
def test_moderators_cannot_write_articles(client, url, method):
    client.force_login(moderator())

    assert getattr(client, method)(url).status_code == 403


def test_moderators_cannot_change_or_delete_an_article(client):
    article = ArticleFactory()
    client.force_login(moderator())

    assert (
        client.get(reverse("admin:articles_article_change", args=[article.pk])).status_code == 403
    )
    assert (
        client.post(
            reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Article.objects.filter(pk=article.pk).exists()


def test_the_article_list_shows_status_dates_and_category(coach_client):
    ArticleFactory(title="Live one")
    ArticleFactory(title="Later one", published_at=timezone.now() + timezone.timedelta(days=3))
    ArticleFactory(title="Draft one", status="draft", published_at=None)

    html = coach_client.get(reverse("admin:articles_article_changelist")).text
    scheduled = coach_client.get(
        reverse("admin:articles_article_changelist"), {"state": "scheduled"}
    ).text

    assert "Scheduled" in html and "Draft" in html and "Published" in html
    assert "Later one" in scheduled and "Live one" not in scheduled


def test_categories_nest_and_moving_one_updates_the_addresses_below_it():
    back = Category.objects.create(name="Back")
    shoulder = Category.objects.create(name="Shoulder", parent=back)
    blade = Category.objects.create(name="Blade", parent=shoulder)

    back.slug = "upper-back"
    back.save()
    blade.refresh_from_db()

    assert blade.path == "upper-back/shoulder/blade"
    assert blade.get_absolute_url() == "/articles/category/upper-back/shoulder/blade/"


def test_a_category_cannot_be_its_own_ancestor_or_take_a_taken_address():
    from django.core.exceptions import ValidationError

    back = Category.objects.create(name="Back")
    shoulder = Category.objects.create(name="Shoulder", parent=back)
    back.parent = shoulder
    with pytest.raises(ValidationError, match="inside itself"):
        back.full_clean()
    with pytest.raises(ValidationError, match="already lives at"):
        Category(name="Shoulder", parent=Category.objects.get(name="Back")).full_clean()


def test_pictures_uploaded_to_the_library_are_served_responsively_inside_bodies(coach_client):
    response = coach_client.post(
        reverse("admin:articles_picture_add"),
        {"alt": "Knots between the shoulder blades", "upload": jpeg_upload(width=900, height=600)},
    )
    assert response.status_code == 302
    picture = Picture.objects.get()
    assert (
        picture.markdown
        == f"![Knots between the shoulder blades](/media/{picture.folder}/900.jpeg)"
    )
    listing = coach_client.get(reverse("admin:articles_picture_changelist")).text
    assert picture.markdown in listing

    article = ArticleFactory(
        body=f"Look:\n\n{picture.markdown}\n\n![elsewhere](/media/other.jpg)\n"
    )

    assert '<source type="image/webp" srcset="/media/' in article.body_html
    assert 'width="900" height="600" alt="Knots between the shoulder blades"' in article.body_html
    assert article.body_html.count("<picture>") == 1  # an address not from the library stays as is


def test_deleting_a_picture_deletes_its_files(coach_client, django_capture_on_commit_callbacks):
    coach_client.post(
        reverse("admin:articles_picture_add"),
        {"alt": "A knot", "upload": jpeg_upload(width=600, height=400)},
    )
    picture = Picture.objects.get()
    names = list(picture.renditions["jpeg"].values()) + list(picture.renditions["webp"].values())

    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(
            reverse("admin:articles_picture_delete", args=[picture.pk]), {"post": "yes"}
        )

    assert not Picture.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_a_picture_needs_a_description_and_a_real_image(coach_client):
    response = coach_client.post(
        reverse("admin:articles_picture_add"), {"alt": "", "upload": io.BytesIO(b"GIF89a broken")}
    )

    assert (
        "This field is required." in response.text and "not an image we can read" in response.text
    )
