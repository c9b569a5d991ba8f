"""The public version beside the case, for the coach (issue 15, item 7)."""

import re

import pytest
from django.urls import reverse

from questions.comparison import compare
from tests.factories import QuestionFactory, coach

CASE = "My husband Mark is 52 years old.\r\nHe works at Siemens in Leeds, <b>sadly</b>."


def test_what_was_cut_or_changed_is_marked_on_both_sides():
    comparison = compare(CASE, "My husband is in his fifties.\nHe works at Siemens.")

    assert re.findall(r"<del>(.*?)</del>", comparison.original_html) == [
        "Mark ",
        "52 years old",
        " in Leeds, &lt;b&gt;sadly&lt;/b&gt;",
    ]
    assert re.findall(r"<ins>(.*?)</ins>", comparison.public_html) == ["in his fifties"]
    assert "<br>" in comparison.original_html  # CRLF and LF both count as one line break
    assert "<b>" not in comparison.original_html  # what the asker typed is escaped


def test_identifying_details_left_in_the_public_text_are_flagged():
    comparison = compare(CASE, "My husband Mark has neck pain. He works at Siemens.")

    assert [(hit.kind, hit.text) for hit in comparison.still_identifying] == [
        ("name", "husband Mark"),
        ("employer", "works at Siemens"),
    ]
    assert '<mark class="identifying" title="Possible name">husband Mark</mark>' in (
        comparison.public_html
    )


def test_an_unchanged_text_has_no_marks():
    comparison = compare("Neck pain for weeks.", "Neck pain for weeks.\r\n")

    assert comparison.original_html == comparison.public_html == "Neck pain for weeks."
    assert comparison.still_identifying == []


@pytest.mark.django_db
def test_the_coach_sees_the_comparison_on_the_question_page(client):
    question = QuestionFactory(
        title="Neck pain",
        body="My wife Anna has had neck pain since the crash.",
        publication="anonymous",
        public_title="Neck pain after a crash",
        public_body="My wife Anna has had neck pain since a car accident.",
    )
    client.force_login(coach())

    html = client.get(reverse("admin:questions_question_change", args=[question.pk])).text
    comparison = html.split('class="public-comparison"')[1]

    assert "since <del>the crash</del>." in comparison
    assert "since <ins>a car accident</ins>." in comparison
    assert "Neck pain<ins> after a crash</ins>" in comparison
    assert "Still in the public text, and may identify the asker:" in html
    assert "<li>name: “wife Anna”</li>" in html


@pytest.mark.django_db
def test_a_private_question_has_no_comparison(client):
    question = QuestionFactory(publication="private")
    client.force_login(coach())

    html = client.get(reverse("admin:questions_question_change", args=[question.pk])).text

    assert 'class="public-comparison"' not in html
