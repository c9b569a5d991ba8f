"""Article revisions: every admin save keeps one; compare, restore, and autosave (issue 15)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Revision
from tests.factories import ArticleFactory, CategoryFactory, coach, moderator

from .test_admin import ADD_URL, article_form

pytestmark = pytest.mark.django_db

AUTOSAVE_URL = reverse("admin:articles_article_autosave")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def revisions_url(article):
    return reverse("admin:articles_article_revisions", args=[article.pk])


def compare_url(article, older, newer=None):
    query = f"?from={older.pk}" + (f"&to={newer.pk}" if newer else "")
    return reverse("admin:articles_article_compare", args=[article.pk]) + query


def restore_url(revision):
    return reverse("admin:articles_article_restore", args=[revision.article_id, revision.pk])


@pytest.fixture
def writer(client):
    user = coach()
    client.force_login(user)
    client.user = user
    return client


def edit(client, article, **changes):
    current = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "status": article.status,
    }
    form = article_form(client.user, article.category, **{**current, **changes})
    response = client.post(change_url(article), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(pk=article.pk)


def test_every_save_keeps_a_revision_with_who_when_and_what(writer):
    category = CategoryFactory()
    writer.post(ADD_URL, article_form(writer.user, category, title="Knots", body="First text."))
    article = Article.objects.get()

    edit(writer, article, body="Second text.", summary="Short.")

    first, second = article.revisions.order_by("created_at", "pk")
    assert (first.title, first.body, first.status) == ("Knots", "First text.", "published")
    assert (second.body, second.summary, second.author) == ("Second text.", "Short.", writer.user)
    assert second.kind == Revision.Kind.SAVED
    assert second.published_at == Article.objects.get().published_at


def test_the_coach_compares_two_revisions_and_a_revision_with_now(writer):
    article = ArticleFactory(title="Neck", body="Heat first.\n\nThen stretch gently.")
    edit(writer, article, body="Heat first.\n\nThen stretch slowly.")
    edit(writer, article, title="Neck knots", body="Heat first.\n\nThen stretch slowly.\n\nRest.")
    oldest, middle, _newest = article.revisions.order_by("created_at", "pk")

    listing = writer.get(revisions_url(article)).text
    between = writer.get(compare_url(article, oldest, middle)).text
    since = writer.get(compare_url(article, oldest)).text

    assert listing.count('name="from"') == 3 and "The article as it is now" in listing
    assert "stretch <del>gently</del><ins>slowly</ins>." in between
    assert "Rest." not in between
    assert "<ins><br><br>Rest.</ins>" in since and "Neck<ins> knots</ins>" in since


def test_restoring_puts_the_text_back_as_a_new_revision_and_keeps_the_status(writer):
    article = ArticleFactory(title="Old title", body="Old body.")
    edit(writer, article, title="New title", body="New body.")
    edit(writer, article, status="draft")
    old = article.revisions.order_by("created_at", "pk").first()

    response = writer.post(restore_url(old))

    article.refresh_from_db()
    latest = article.revisions.first()
    assert response.status_code == 302
    assert (article.title, article.body, article.status) == ("Old title", "Old body.", "draft")
    assert "Old body." in article.body_html  # rendered again
    assert latest.kind == Revision.Kind.RESTORED and latest.restored_from == old
    assert article.revisions.count() == 4


def test_restoring_needs_a_post(writer):
    article = ArticleFactory(body="Kept.")
    edit(writer, article, body="Changed.")

    writer.get(restore_url(article.revisions.last()))

    article.refresh_from_db()
    assert article.body == "Changed."


def test_autosave_keeps_one_draft_per_writer_and_publishes_nothing(writer):
    article = ArticleFactory(title="Live", body="Live text.")
    fields = {"article": article.pk, "title": "Live", "summary": ""}

    writer.post(AUTOSAVE_URL, {**fields, "body": "Typing…"})
    response = writer.post(AUTOSAVE_URL, {**fields, "body": "Typing more…"})

    article.refresh_from_db()
    draft = Revision.objects.get(kind=Revision.Kind.AUTOSAVE)
    assert response.status_code == 200 and "saved_at" in response.json()
    assert draft.body == "Typing more…" and draft.author == writer.user
    assert article.body == "Live text." and "Typing" not in article.body_html


def test_an_autosaved_draft_is_offered_back_until_the_article_is_saved(writer):
    article = ArticleFactory(body="Saved text.")
    writer.post(
        AUTOSAVE_URL,
        {"article": article.pk, "title": article.title, "summary": "", "body": "Lost tab text."},
    )
    Revision.objects.filter(kind="autosave").update(created_at=timezone.now() + timedelta(1))

    page = writer.get(change_url(article)).text
    assert "Your editor autosaved text you did not save" in page
    assert "Lost tab text." in page  # in the draft's JSON, for "Put it back in the editor"

    edit(writer, article, body="Lost tab text.")
    assert not Revision.objects.filter(kind="autosave").exists()
    assert "Your editor autosaved" not in writer.get(change_url(article)).text


def test_a_new_articles_draft_is_offered_on_the_add_page_and_dropped_once_saved(writer):
    writer.post(AUTOSAVE_URL, {"article": "", "title": "Half", "summary": "", "body": "Half."})

    assert "Your editor autosaved text you did not save" in writer.get(ADD_URL).text

    writer.post(ADD_URL, article_form(writer.user, CategoryFactory(), title="Half"))
    assert not Revision.objects.filter(kind="autosave").exists()


def test_another_writers_draft_is_not_offered(writer, client):
    article = ArticleFactory()
    Revision.objects.create(article=article, author=coach(), kind="autosave", body="Theirs.")
    Revision.objects.filter(kind="autosave").update(created_at=timezone.now() + timedelta(1))

    assert "Your editor autosaved" not in writer.get(change_url(article)).text


@pytest.mark.parametrize("url", ["revisions", "compare", "restore", "autosave"])
def test_moderators_have_no_access_to_revisions(client, url):
    article = ArticleFactory()
    revision = Revision.objects.create(article=article, body="x")
    client.force_login(moderator())
    target = {
        "revisions": revisions_url(article),
        "compare": compare_url(article, revision),
        "restore": restore_url(revision),
        "autosave": AUTOSAVE_URL,
    }[url]

    response = client.post(target, {"article": article.pk, "body": "Moderator text"})

    assert response.status_code == 403
    assert not Revision.objects.filter(body="Moderator text").exists()


def test_the_first_save_keeps_the_text_from_before_even_after_an_autosave(writer):
    article = ArticleFactory(body="Written before revisions.")
    writer.post(AUTOSAVE_URL, {"article": article.pk, "title": article.title, "body": "Typing"})

    edit(writer, article, body="Typing")

    before, saved = article.revisions.kept().order_by("created_at", "pk")
    assert before.body == "Written before revisions." and saved.body == "Typing"


@pytest.mark.parametrize("query", ["", "?from=abc", "?from=999999", "?from=1&to=abc"])
def test_a_compare_address_without_a_revision_of_the_article_is_not_found(writer, query):
    article = ArticleFactory()
    url = reverse("admin:articles_article_compare", args=[article.pk]) + query

    assert writer.get(url).status_code == 404
