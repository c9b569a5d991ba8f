"""A comment's body is rendered to HTML when it is saved changed, not at every status change."""

from unittest import mock

import pytest

from painrelief.comments.models import Comment
from painrelief.comments.rendering import render_comment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def renderer():
    """Counts the renderer's calls from the model, and still renders."""
    with mock.patch("painrelief.comments.models.render_comment", wraps=render_comment) as wrapped:
        yield wrapped


@pytest.fixture
def comment():
    return Comment.objects.get(pk=CommentFactory(body="Heat helped.").pk)


def test_saving_a_comment_without_touching_the_body_does_not_render_it(comment, renderer):
    comment.status = Comment.Status.PENDING
    comment.save()

    assert renderer.call_count == 0
    assert Comment.objects.get(pk=comment.pk).body_html == "<p>Heat helped.</p>"


def test_an_edited_body_is_rendered_and_saved_with_update_fields(comment, renderer):
    comment.body = "Heat helped a lot."
    comment.save(update_fields=["body"])

    assert renderer.call_count == 1
    assert Comment.objects.get(pk=comment.pk).body_html == "<p>Heat helped a lot.</p>"
