"""The asker's private page: status, answer, consent to the exact public text, withdrawal,
deletion; and nobody else reaches a private question."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from painrelief.comments.models import Comment
from questions import links, services
from questions.models import Question
from tests.factories import CommentFactory, QuestionFactory, UserFactory, coach, moderator

pytestmark = pytest.mark.django_db


def private(question):
    return reverse("questions:private", kwargs={"token": links.private_token(question)})


def test_the_asker_sees_the_status_and_the_case_but_no_answer_yet(client):
    question = QuestionFactory(body="My neck has been stiff since the new desk.")

    html = client.get(private(question)).text

    assert 'aria-current="step">Received' in html
    assert "My neck has been stiff since the new desk." in html
    assert "The coach has not answered yet." in html


def test_a_published_answer_is_shown_with_the_not_medical_advice_notice(client):
    question = QuestionFactory(answer="Try **heat** first.")
    services.publish_answer(question=question)

    html = client.get(private(question)).text

    assert 'aria-current="step">Answered' in html
    assert "<strong>heat</strong>" in html and "not medical advice" in html


def test_a_draft_answer_stays_invisible_to_the_asker(client):
    question = QuestionFactory(answer="Draft the coach is still writing.")

    assert "Draft the coach is still writing." not in client.get(private(question)).text


def test_the_asker_approves_the_exact_public_text_and_the_page_goes_public(client):
    question = QuestionFactory(publication="anonymous", answer="Heat, then movement.")
    services.publish_answer(question=question)
    question.public_title, question.public_body = "A stiff neck", "A reader's stiff neck."
    services.request_consent(question=question)

    page = client.get(private(question)).text
    client.post(private(question), {"action": "approve"})

    question.refresh_from_db()
    assert "May we publish this?" in page and "A reader&#x27;s stiff neck." in page
    assert question.is_public and question.published_at
    assert client.get(question.get_absolute_url()).status_code == 200


def test_a_public_text_changed_after_it_was_sent_cannot_be_approved_unseen(client):
    question = QuestionFactory(publication="anonymous", answer="Heat.")
    services.publish_answer(question=question)
    question.public_title, question.public_body = "A stiff neck", "Version one."
    services.request_consent(question=question)
    Question.objects.filter(pk=question.pk).update(public_body="Version two, unseen.")

    client.post(private(question), {"action": "approve"})

    question.refresh_from_db()
    assert not question.is_public


def test_withdrawing_takes_the_public_page_down_at_once(client):
    question = QuestionFactory(public=True)
    url = question.get_absolute_url()
    assert client.get(url).status_code == 200

    client.post(private(question), {"action": "publication", "publication": "private"})

    assert client.get(url).status_code == 404
    assert question.public_title not in client.get(reverse("questions:list")).text


def test_declining_publication_keeps_it_private(client):
    question = QuestionFactory(public=True)

    client.post(private(question), {"action": "decline"})

    question.refresh_from_db()
    assert question.consent == "declined" and not question.is_public


def test_deleting_needs_the_confirmation_and_then_removes_everything(client):
    question = QuestionFactory(public=True)
    CommentFactory(target=question, body="A comment on the public Q&A.")

    client.post(private(question), {"action": "delete"})
    assert Question.objects.exists()
    client.post(private(question), {"action": "delete", "confirm": "on"})

    assert not Question.objects.exists() and not Comment.objects.exists()
    gone = client.get(private(question))
    assert gone.status_code == 404 and "This link does not work" in gone.text


@pytest.mark.parametrize("token", ["nonsense", "eyJxIjoxfQ:1abc:forged"])
def test_a_tampered_link_shows_a_clear_page_and_no_question(client, token):
    QuestionFactory(body="Someone's private case.")

    response = client.get(reverse("questions:private", kwargs={"token": token}))

    assert response.status_code == 404
    assert "This link does not work" in response.text and "private case" not in response.text


def test_a_link_for_a_deleted_question_never_opens_one_that_reuses_its_id(client):
    """SQLite may give a deleted row's id to the next one: the link also names its key."""
    mine = QuestionFactory()
    token = links.private_token(mine)
    pk = mine.pk
    mine.delete()
    QuestionFactory(pk=pk, body="Their private case.")

    response = client.get(reverse("questions:private", kwargs={"token": token}))

    assert response.status_code == 404 and "Their private case." not in response.text


def test_an_expired_link_says_so(client, settings):
    question = QuestionFactory()
    url = private(question)
    later = time.time() + timedelta(days=400).total_seconds()

    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(url)

    assert response.status_code == 410
    assert "stop working after 30 days" in response.text


def test_a_private_link_works_for_a_month_not_a_year(client):
    """The link sits in URL paths (histories, logs): by default it lives 30 days."""
    url = private(QuestionFactory())

    for days, status in [(29, 200), (31, 410)]:
        later = time.time() + timedelta(days=days).total_seconds()
        with mock.patch("django.core.signing.time.time", return_value=later):
            assert client.get(url).status_code == status


def test_an_expired_link_emails_a_fresh_link_to_the_askers_address_only(
    client, django_capture_on_commit_callbacks
):
    question = QuestionFactory(email="anna@example.net", body="My private case.")
    url = private(question)
    later = time.time() + timedelta(days=40).total_seconds()

    with mock.patch("django.core.signing.time.time", return_value=later):
        page = client.get(url)
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post(url)
            client.post(url)  # a second click within minutes sends nothing more

    assert "Email me a new link" in page.text and "anna@example.net" not in page.text
    assert sent.status_code == 410 and "a new link is on its way" in sent.text
    assert "My private case." not in sent.text
    assert [message.to for message in mail.outbox] == [["anna@example.net"]]
    fresh = re.search(r"http\S+/questions/private/\S+/", mail.outbox[0].body).group()
    assert fresh != url and "My private case." in client.get(fresh).text


def test_a_tampered_link_cannot_ask_for_a_new_one(client, django_capture_on_commit_callbacks):
    url = private(QuestionFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url[:-4] + "xyz/")
    assert response.status_code == 404 and mail.outbox == []


@pytest.mark.parametrize("who", ["anonymous", "reader", "moderator"])
def test_nobody_else_reaches_a_private_question(client, who):
    question = QuestionFactory(
        body="A private case about my back.", status="answered", answer="Private answer."
    )
    services.publish_answer(question=question)
    user = {"reader": UserFactory, "moderator": moderator}.get(who)
    if user:
        client.force_login(user())

    pages = [
        question.get_absolute_url(),
        reverse("questions:list"),
        reverse("admin:questions_question_change", args=[question.pk]),
        reverse("questions:detail", kwargs={"slug": f"question-{question.pk}"}),
    ]
    for url in pages:
        text = client.get(url).text
        assert "A private case about my back." not in text, url


def test_public_addresses_cannot_be_guessed_from_ids():
    first, second = QuestionFactory(public=True), QuestionFactory(public=True)

    assert len(first.public_key) == 16 and first.public_key != second.public_key
    by_id = reverse("questions:detail", kwargs={"slug": f"stiff-neck-{first.pk}"})
    assert Client().get(by_id).status_code == 404


def test_my_questions_lists_a_readers_own_questions_with_their_private_links(client):
    reader = UserFactory()
    mine = QuestionFactory(user=reader, title="My shoulder")
    QuestionFactory(title="Someone else's knee")
    client.force_login(reader)

    html = client.get(reverse("questions:mine")).text

    assert "My shoulder" in html and "knee" not in html
    assert private(mine) in html
    assert Client().get(reverse("questions:mine")).status_code == 302


def test_the_coach_sees_private_cases_in_the_admin(client):
    question = QuestionFactory(body="A private case about my back.")
    client.force_login(coach())

    html = client.get(reverse("admin:questions_question_change", args=[question.pk])).text

    assert "A private case about my back." in html


def test_an_email_about_a_question_deleted_meanwhile_is_not_sent(
    django_capture_on_commit_callbacks,
):
    """The email task carries only the question's id and reads the address when it runs."""
    question = QuestionFactory(answer="Heat first.")
    with django_capture_on_commit_callbacks() as callbacks:
        services.publish_answer(question=question)
    services.delete_question(question=question)

    for callback in callbacks:
        callback()

    assert callbacks and not mail.outbox  # the email task ran, and found no question
