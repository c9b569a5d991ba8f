"""Asking the coach: the guided form, the preview step, red flags, the spam defence, emails."""

import re
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from painrelief.spam import defence
from questions import services
from questions.models import BodyArea, Question, RedFlag
from tests.comments.conftest import form_stamp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ASK = reverse("questions:ask")
CASE = (
    "I'm writing on behalf of my husband. For 15 days he's been in a lot of pain.\n\n"
    "He has knots between the left shoulder blade and the spine. One physio said herniated "
    "disc, another said muscles. Please point us in the right direction."
)


@pytest.fixture
def answers():
    return {
        "title": "Knots by the shoulder blade",
        "body": CASE,
        "body_areas": [
            BodyArea.objects.get(slug="upper-back").pk,
            BodyArea.objects.get(slug="arm-and-hand").pk,
        ],
        "duration": "weeks",
        "on_behalf": "on",
        "name": "Anna",
        "email": "anna@example.net",
        "publication": "anonymous",
        "form_stamp": form_stamp(),
    }


def carried_fields(html: str) -> dict[str, list[str]]:
    """What the preview page carries to the next step, as a browser would send it."""
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html, re.S):
        data.setdefault(name, []).append(
            value.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
        )
    data.pop("csrfmiddlewaretoken", None)
    return data


def send(client, answers, capture):
    preview = client.post(ASK, {**answers, "preview": ""})
    with capture(execute=True):
        return preview, client.post(ASK, {**carried_fields(preview.text), "send": ""}, follow=True)


def test_the_form_asks_the_guided_questions(client):
    html = client.get(ASK).text

    for label in (
        "A short title",
        "Your case",
        "Where does it hurt?",
        "Since when?",
        "I am writing on behalf of someone",
        "Your email address",
        "May the coach publish your question?",
        "Keep it private",
        "without my name",
        "What did doctors, physiotherapists",
    ):
        assert label in html, label
    assert 'name="homepage"' in html and 'name="form_stamp"' in html


def test_a_signed_in_readers_details_are_filled_in(client):
    client.force_login(UserFactory(display_name="Jonas", email="jonas@example.org"))

    html = client.get(ASK).text

    assert 'value="Jonas"' in html and 'value="jonas@example.org"' in html


def test_the_preview_shows_everything_and_nothing_is_saved_yet(client, answers):
    response = client.post(ASK, {**answers, "preview": ""})

    assert response.status_code == 200
    assert "Check your question before sending" in response.text
    assert "<p>I&#x27;m writing on behalf of my husband." in response.text
    assert "Upper back, Arm and hand" in response.text
    assert "without my name" in response.text
    assert not Question.objects.exists()


def test_change_something_returns_to_the_form_with_everything_kept(client, answers):
    preview = client.post(ASK, {**answers, "preview": ""})

    form = client.post(ASK, {**carried_fields(preview.text), "edit": ""})

    assert form.status_code == 200 and "Preview my question" in form.text
    assert escape(CASE) in form.text or CASE.replace("'", "&#x27;") in form.text
    assert form.text.count("checked") >= 4  # two areas, on behalf, the publication choice


def test_sending_saves_the_question_and_emails_a_private_link_not_the_case(
    client, answers, django_capture_on_commit_callbacks
):
    _, response = send(client, answers, django_capture_on_commit_callbacks)

    question = Question.objects.get()
    assert response.status_code == 200 and "your question is on its way" in response.text
    assert response.redirect_chain[0][0].startswith("/questions/sent/")  # reloading is safe
    assert question.status == Question.Status.NEW
    assert question.body == CASE and question.on_behalf and question.duration == "weeks"
    assert {a.slug for a in question.body_areas.all()} == {"upper-back", "arm-and-hand"}
    (email,) = mail.outbox
    assert email.to == ["anna@example.net"]
    assert "/questions/private/" in email.body
    assert "shoulder blade" not in email.body and "husband" not in email.body


def test_a_double_click_on_send_stores_one_question_and_sends_one_email(
    client, answers, django_capture_on_commit_callbacks
):
    """The same send posted twice (a double click, a reload, a retry) is one question, and
    both answers lead to the same thank-you page."""
    preview = client.post(ASK, {**answers, "preview": ""})
    sent = {**carried_fields(preview.text), "send": ""}

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(ASK, sent)
        second = client.post(ASK, sent)

    assert Question.objects.count() == 1
    assert len(mail.outbox) == 1
    assert first.status_code == second.status_code == 302
    assert first.url == second.url


def test_the_same_text_from_a_new_form_is_a_new_question(
    client, answers, django_capture_on_commit_callbacks
):
    send(client, answers, django_capture_on_commit_callbacks)
    send(client, {**answers, "form_stamp": form_stamp(30)}, django_capture_on_commit_callbacks)

    assert Question.objects.count() == 2


def test_a_changed_text_sent_from_the_same_form_is_a_new_question(
    client, answers, django_capture_on_commit_callbacks
):
    """A reader who goes back, changes the case and sends again loses nothing."""
    send(client, answers, django_capture_on_commit_callbacks)
    send(client, {**answers, "body": CASE + " Thank you."}, django_capture_on_commit_callbacks)

    assert Question.objects.count() == 2


@pytest.mark.parametrize(
    "text",
    [
        "His left arm is numb and getting worse every day.",
        "Since the accident last week my neck hurts.",
        "She has a fever and her lower back aches.",
        "Chest pain that goes into my left arm when I walk.",
        "I can't control my bladder since the back pain started.",
        "I can’t pee properly since the pain started.",  # a phone's curly apostrophe
    ],
)
def test_red_flags_show_the_urgent_care_notice_before_and_after_sending(
    client, answers, text, django_capture_on_commit_callbacks
):
    answers["body"] = f"{CASE}\n\n{text}"

    preview, sent = send(client, answers, django_capture_on_commit_callbacks)

    question = Question.objects.get()
    assert "Please seek urgent care" in preview.text and "Please seek urgent care" in sent.text
    assert question.has_red_flags and question.red_flags
    private = Client().get(re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1))
    assert "Please seek urgent care" in private.text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "I sit in my armchair all evening in a sweatshirt.",
        "I cycle to work; the saddle is new.",
        "I can walk all day, and take 120 drops of arnica.",
        "My fellow runners say it's the shoes.",
    ],
)
def test_a_case_without_red_flags_shows_no_notice(client, answers, text):
    answers["body"] = f"{CASE}\n\n{text}"

    preview = client.post(ASK, {**answers, "preview": ""})

    assert "Please seek urgent care" not in preview.text


def test_red_flags_are_edited_in_the_admin_and_used_at_once(client, answers):
    RedFlag.objects.create(name="Jaw locked", phrases="jaw locked")
    answers["body"] = f"{CASE} Since Sunday his jaw locked twice."

    assert "We noticed: Jaw locked" in client.post(ASK, {**answers, "preview": ""}).text


def test_the_form_page_carries_the_red_flags_for_the_live_notice(client):
    html = client.get(ASK).text

    assert 'data-red-flags="[{&quot;phrases&quot;' in html
    assert "getting worse" in html and 'id="urgent-care-notice"' in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"body": "x" * 10_001}, "Your case has 10,001 characters; please shorten it to 10,000."),
        ({"body": "Hurts."}, "Please tell the coach a little more about the pain."),
        ({"email": "anna-at-example"}, "Enter a valid email address."),
        ({"title": ""}, "This field is required."),
        ({"title": "t" * 151}, "at most 150 characters"),
        ({"publication": "everywhere"}, "Select a valid choice."),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_the_text(client, answers, changes, message):
    response = client.post(ASK, {**answers, **changes, "preview": ""})

    assert response.status_code == 400
    assert message in response.text
    assert "Everything you typed is kept." in response.text
    assert 'value="anna@example.net"' in response.text or "anna-at-example" in response.text
    assert not Question.objects.exists()


def test_hostile_text_is_shown_as_text_everywhere(
    client, answers, django_capture_on_commit_callbacks
):
    answers["title"] = '<script>alert("t")</script>'
    answers["body"] = f'{CASE}\n<img src=x onerror=alert(1)> "><svg onload=alert(2)>'

    preview, _ = send(client, answers, django_capture_on_commit_callbacks)
    private = client.get(re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1))

    for html in (preview.text, private.text):
        assert "<script>alert" not in html and "<img src=x" not in html and "<svg" not in html


def test_spam_gets_the_same_thank_you_but_no_link_and_no_email(
    client, answers, django_capture_on_commit_callbacks
):
    answers["homepage"] = "http://robot.example"

    _, response = send(client, answers, django_capture_on_commit_callbacks)

    assert "your question is on its way" in response.text
    assert "/questions/private/" not in response.text
    assert Question.objects.get().status == Question.Status.SPAM
    assert mail.outbox == []


def test_a_question_sent_too_fast_is_held_for_a_moderator(
    client, answers, django_capture_on_commit_callbacks
):
    answers["form_stamp"] = form_stamp(seconds_ago=0.5)

    send(client, answers, django_capture_on_commit_callbacks)

    question = Question.objects.get()
    assert question.status == Question.Status.HELD and "too-fast" in question.reason_codes


def test_the_case_stays_out_of_error_reports(client, answers, settings):
    """Django's error reports show sensitive POST parameters as stars."""
    from django.views.debug import SafeExceptionReporterFilter

    request = client.post(ASK, {**answers, "preview": ""}).wsgi_request
    cleansed = SafeExceptionReporterFilter().get_post_parameters(request)

    assert cleansed["body"] == "********************" and cleansed["email"].startswith("*")


def test_the_ask_form_needs_a_csrf_token(answers):
    response = Client(enforce_csrf_checks=True).post(ASK, {**answers, "send": ""})

    assert response.status_code == 403 and not Question.objects.exists()


def test_a_forged_thank_you_address_shows_no_question(client):
    response = client.get(reverse("questions:sent", kwargs={"token": "forged"}))

    assert response.status_code == 200 and "your question is on its way" in response.text
    assert "/questions/private/" not in response.text


def test_two_copies_arriving_at_the_same_moment_are_settled_by_the_database():
    """Both passed the early look before either was stored: the unique key decides, and the
    second copy is answered with the first question."""
    data = {
        "title": "Knots",
        "body": CASE,
        "name": "Anna",
        "email": "anna@example.net",
        "publication": "private",
    }
    context = defence.Context(kind="question", seconds_to_submit=60)
    check = defence.check
    other_copy = []

    def check_while_the_other_copy_is_stored(*args, **kwargs):
        other_copy.append(Question.objects.create(title="Knots", body=CASE, submission_key="k1"))
        return check(*args, **kwargs)

    with mock.patch.object(defence, "check", check_while_the_other_copy_is_stored):
        answer = services.ask(
            data=data, user=AnonymousUser(), spam_context=context, submission_key="k1"
        )

    assert answer.pk == other_copy[0].pk
    assert Question.objects.count() == 1
