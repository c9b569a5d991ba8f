"""An article's body is rendered to HTML, text, excerpt and reading time when saved changed."""

from unittest import mock

import pytest

from articles.models import Article
from painrelief.markdown import render_markdown
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NEW_BODY = "## Heat first\n\nA warm shower, then the ball against the wall. " + "word " * 300


@pytest.fixture
def renderer():
    """Counts the renderer's calls from the model, and still renders."""
    with mock.patch("articles.models.render_markdown", wraps=render_markdown) as wrapped:
        yield wrapped


@pytest.fixture
def article():
    """An article as a view or the admin would get it: loaded from the database."""
    return Article.objects.get(pk=ArticleFactory().pk)


def test_a_new_article_is_rendered_once_however_often_it_is_saved(renderer):
    article = ArticleFactory()
    article.save()

    assert renderer.call_count == 1
    assert '<h2 id="why-it-hurts">Why it hurts</h2>' in article.body_html
    assert article.plain_text.startswith("Why it hurts") and article.excerpt


def test_saving_an_article_without_touching_the_body_does_not_render_it(article, renderer):
    article.title = "A new title"
    article.save()

    assert renderer.call_count == 0
    saved = Article.objects.get(pk=article.pk)
    assert saved.title == "A new title" and "Why it hurts" in saved.body_html


def test_changing_the_body_renders_every_derived_field(article, renderer):
    article.body = NEW_BODY
    article.save()

    assert renderer.call_count == 1
    saved = Article.objects.get(pk=article.pk)
    assert '<h2 id="heat-first">Heat first</h2>' in saved.body_html
    assert saved.plain_text.startswith("Heat first")
    assert saved.excerpt.startswith("A warm shower")
    assert saved.reading_minutes == 2


def test_an_update_fields_save_of_the_body_saves_what_was_rendered_from_it(article, renderer):
    article.body = NEW_BODY
    article.save(update_fields=["body"])

    assert renderer.call_count == 1
    saved = Article.objects.get(pk=article.pk)
    assert "Heat first" in saved.body_html and saved.reading_minutes == 2


def test_an_update_fields_save_without_the_body_renders_and_saves_none_of_it(article, renderer):
    article.title = "A new title"
    article.body = NEW_BODY  # changed but not saved: its HTML must not be either
    article.save(update_fields=["title"])

    assert renderer.call_count == 0
    saved = Article.objects.get(pk=article.pk)
    assert saved.title == "A new title"
    assert "Why it hurts" in saved.body and "Why it hurts" in saved.body_html

    article.save()  # the body still differs from the saved one

    assert renderer.call_count == 1
    assert "Heat first" in Article.objects.get(pk=article.pk).body_html


def test_an_article_saved_without_html_is_rendered(article, renderer):
    """Rows written without save() (bulk_create, update) get their HTML at the next save."""
    Article.objects.filter(pk=article.pk).update(body_html="")
    article = Article.objects.get(pk=article.pk)

    article.save()

    assert renderer.call_count == 1
    assert "Why it hurts" in Article.objects.get(pk=article.pk).body_html


def test_a_body_reloaded_on_its_own_is_rendered_at_the_next_save(article, renderer):
    Article.objects.filter(pk=article.pk).update(body=NEW_BODY)  # changed elsewhere meanwhile
    article.refresh_from_db(fields=["body"])  # its HTML in memory is now behind it

    article.save()

    assert renderer.call_count == 1
    assert "Heat first" in Article.objects.get(pk=article.pk).body_html


def test_a_refreshed_article_compares_its_body_with_the_one_refreshed(article, renderer):
    article.body = NEW_BODY
    article.save()
    other = Article.objects.get(pk=article.pk)
    other.body = "Written in another tab."
    other.save()
    article.refresh_from_db()

    article.save()
    assert renderer.call_count == 2  # unchanged since the refresh

    article.body = NEW_BODY  # what this instance saved before the other one
    article.save()
    assert renderer.call_count == 3
    assert "Heat first" in Article.objects.get(pk=article.pk).body_html


def test_an_article_loaded_without_its_body_is_saved_without_rendering(article, renderer):
    listed = Article.objects.for_lists().get(pk=article.pk)
    listed.title = "From a list"

    listed.save()

    assert renderer.call_count == 0
    saved = Article.objects.get(pk=article.pk)
    assert saved.title == "From a list" and "Why it hurts" in saved.body_html
