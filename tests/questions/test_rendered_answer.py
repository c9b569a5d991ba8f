"""A question's answer is rendered to HTML and search text when it is saved changed."""

from unittest import mock

import pytest

from painrelief.markdown import render_markdown
from questions.models import Question
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def renderer():
    """Counts the renderer's calls from the model, and still renders."""
    with mock.patch("questions.models.render_markdown", wraps=render_markdown) as wrapped:
        yield wrapped


@pytest.fixture
def question():
    return Question.objects.get(pk=QuestionFactory(public=True).pk)


def test_a_question_without_an_answer_has_no_answer_html(renderer):
    question = QuestionFactory()

    assert renderer.call_count == 0
    assert question.answer_html == "" and question.answer_text == ""


def test_saving_a_question_without_touching_the_answer_does_not_render_it(question, renderer):
    question.internal_notes = "Check back in a month."
    question.save()
    question.save(update_fields=["consent", "published_at"])

    assert renderer.call_count == 0
    assert "What to try first" in Question.objects.get(pk=question.pk).answer_html


def test_changing_the_answer_renders_and_saves_its_html_and_text(question, renderer):
    question.answer = "## Rest a day\n\nThen walk a little every hour."
    question.save(update_fields=["answer"])

    assert renderer.call_count == 1
    saved = Question.objects.get(pk=question.pk)
    assert '<h2 id="rest-a-day">Rest a day</h2>' in saved.answer_html
    assert saved.answer_text.startswith("Rest a day")


def test_an_answer_changed_but_left_out_of_update_fields_is_not_rendered(question, renderer):
    question.answer = "## Rest a day"
    question.save(update_fields=["internal_notes"])

    assert renderer.call_count == 0
    assert "What to try first" in Question.objects.get(pk=question.pk).answer_html


def test_removing_the_answer_empties_its_html(question, renderer):
    question.answer = ""
    question.save()

    saved = Question.objects.get(pk=question.pk)
    assert saved.answer_html == "" and saved.answer_text == ""
