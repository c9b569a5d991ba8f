"""The coach's desk in the admin, and what moderators may and may not do there."""

import re
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from questions.models import Question, Snippet
from tests.factories import ArticleFactory, QuestionFactory, UserFactory, coach, moderator

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:questions_question_changelist")


def change_url(question):
    return reverse("admin:questions_question_change", args=[question.pk])


def form(question, **changes):
    data = {
        "status": question.status,
        "answer": question.answer,
        "internal_notes": question.internal_notes,
        "public_title": question.public_title,
        "public_body": question.public_body,
        "decline_message": question.decline_message,
    }
    return {**data, **changes}


@pytest.fixture
def as_coach(client):
    client.force_login(coach())
    return client


def test_the_index_counts_new_questions_and_the_list_puts_red_flags_first(as_coach):
    QuestionFactory(title="Oldest plain case")
    QuestionFactory(
        title="Newer urgent case", red_flags=["Fever with back pain"], has_red_flags=True
    )
    QuestionFactory(title="Answered one", status="answered")

    index = as_coach.get(reverse("admin:index")).text
    listing = as_coach.get(CHANGELIST, {"status__exact": "new"}).text

    assert "2 new" in index
    assert listing.index("Newer urgent case") < listing.index("Oldest plain case")
    assert "⚑ Fever with back pain" in listing and "Answered one" not in listing


def test_the_case_is_shown_in_full_with_identifying_details_highlighted(as_coach):
    question = QuestionFactory(
        body="My husband Mark is 47 years old and works at Acme Logistics in Leeds.\n\n"
        "Call 07700 900123.",
    )

    html = as_coach.get(change_url(question)).text

    for detail in (
        "husband Mark",
        "47 years old",
        "works at Acme Logistics",
        "in Leeds",
        "07700 900123",
    ):
        assert re.search(rf'<mark class="identifying" title="Possible \w[\w ]*">{detail}', html)
    assert "Marked in the case:" in html
    assert question.email in html  # the coach sees the email


def test_a_draft_answer_is_saved_without_telling_the_asker(
    as_coach, django_capture_on_commit_callbacks
):
    question = QuestionFactory()

    with django_capture_on_commit_callbacks(execute=True):
        as_coach.post(change_url(question), form(question, answer="## Draft\n\nHeat first."))

    question.refresh_from_db()
    assert question.answer_html.startswith("<h2") and question.answer_published_at is None
    assert question.status == "new" and mail.outbox == []


def test_publishing_the_answer_emails_the_asker_a_link_once(
    as_coach, django_capture_on_commit_callbacks
):
    question = QuestionFactory(email="anna@example.net")
    article = ArticleFactory(title="Heat or ice?")

    with django_capture_on_commit_callbacks(execute=True):
        as_coach.post(
            change_url(question),
            {
                **form(question, answer="Heat first, then walk."),
                "related_articles": [article.pk],
                "_publish_answer": "1",
            },
        )
        as_coach.post(
            change_url(question),
            {
                **form(question, answer="Heat, then walk."),
                "related_articles": [article.pk],
                "_publish_answer": "1",
            },
        )

    question.refresh_from_db()
    assert question.status == "answered" and question.answer_published_at
    assert list(question.related_articles.all()) == [article]
    (email,) = mail.outbox
    assert email.to == ["anna@example.net"] and "/questions/private/" in email.body
    assert "Heat" not in email.body  # the answer stays out of the mailbox


def test_an_empty_answer_cannot_be_published(as_coach):
    question = QuestionFactory()

    response = as_coach.post(
        change_url(question),
        {**form(question, internal_notes="Call back on Monday."), "_publish_answer": "1"},
    )

    question.refresh_from_db()
    assert response.status_code == 200  # the form again, with the reason
    assert "An empty answer cannot be published." in response.text
    assert "Call back on Monday.</textarea>" in response.text  # nothing typed is lost
    assert question.answer_published_at is None
    assert question.internal_notes == ""  # and nothing saved until the action can be done


def test_the_public_version_cannot_be_sent_before_the_answer_and_nothing_is_saved(as_coach):
    question = QuestionFactory(publication="anonymous", answer="Heat.")

    response = as_coach.post(
        change_url(question),
        {**form(question, public_title="A stiff neck", public_body="B."), "_request_consent": "1"},
    )

    question.refresh_from_db()
    assert "Publish the answer first." in response.text
    assert question.public_title == "" and question.consent == "not_asked"
    assert not mail.outbox


def test_declining_needs_a_message_for_the_asker(as_coach):
    question = QuestionFactory()

    response = as_coach.post(
        change_url(question), {**form(question, decline_message="  "), "_decline": "1"}
    )

    question.refresh_from_db()
    assert "Write the message the asker will read." in response.text
    assert question.status == "new" and not mail.outbox


def test_publishing_from_the_admin_saves_the_question_once(as_coach):
    question = QuestionFactory()

    with mock.patch.object(Question, "save", autospec=True, side_effect=Question.save) as save:
        as_coach.post(
            change_url(question), {**form(question, answer="Heat."), "_publish_answer": "1"}
        )

    assert save.call_count == 1
    question.refresh_from_db()
    assert question.status == "answered" and question.answer_published_at is not None


def test_the_public_version_is_prefilled_from_the_case_and_sent_for_approval(
    as_coach, django_capture_on_commit_callbacks
):
    question = QuestionFactory(
        publication="anonymous", body="Mark's neck, in Leeds.", answer="Heat."
    )
    page = as_coach.get(change_url(question)).text

    with django_capture_on_commit_callbacks(execute=True):
        as_coach.post(change_url(question), {**form(question), "_publish_answer": "1"})
        as_coach.post(
            change_url(question),
            {
                **form(question, public_title="A stiff neck", public_body="A reader's neck."),
                "_request_consent": "1",
            },
        )

    question.refresh_from_db()
    assert "Mark&#x27;s neck, in Leeds.</textarea>" in page
    assert question.consent == "pending"
    assert question.consent_text == "A stiff neck\n\nA reader's neck.\n\nHeat."
    assert question.body == "Mark's neck, in Leeds."  # what the asker wrote is untouched
    assert not question.is_public
    assert "Please check the public version" in mail.outbox[-1].subject


@pytest.mark.parametrize("field", ["public_body", "answer"])
def test_editing_what_the_asker_approved_takes_the_page_down_until_approved_again(as_coach, field):
    question = QuestionFactory(public=True)
    url = question.get_absolute_url()

    as_coach.post(change_url(question), form(question, **{field: "An edited version."}))

    question.refresh_from_db()
    assert question.consent == "not_asked" and not question.is_public
    assert as_coach.get(url).status_code == 404


def test_a_private_question_cannot_be_sent_for_publication(as_coach):
    question = QuestionFactory(publication="private", answer="Heat.")

    response = as_coach.post(
        change_url(question),
        {**form(question, public_title="T", public_body="B"), "_request_consent": "1"},
        follow=True,
    )

    assert "chose to keep this question private" in response.text
    question.refresh_from_db()
    assert question.consent == "not_asked"


def test_declining_sends_a_kind_message_through_the_private_page(
    as_coach, client, django_capture_on_commit_callbacks
):
    question = QuestionFactory()
    stock = Snippet.objects.get(use="decline").body
    page = as_coach.get(change_url(question)).text

    with django_capture_on_commit_callbacks(execute=True):
        as_coach.post(
            change_url(question),
            {**form(question, decline_message="Please see your doctor, kindly."), "_decline": "1"},
        )

    question.refresh_from_db()
    assert stock.split(".")[0] in page  # the stock reply, ready to edit
    assert question.status == "declined"
    (email,) = mail.outbox
    assert "kindly" not in email.body and "/questions/private/" in email.body


def test_internal_notes_never_reach_the_asker(as_coach, client):
    from questions.links import private_token

    question = QuestionFactory(public=True, internal_notes="Seems anxious; follow up.")
    private = reverse("questions:private", kwargs={"token": private_token(question)})

    for url in (private, question.get_absolute_url()):
        assert "Seems anxious" not in client.get(url).text


def test_snippets_and_the_live_preview_are_offered(as_coach):
    Snippet.objects.create(title="Heat first", body="Start with ten minutes of heat.")
    question = QuestionFactory()

    html = as_coach.get(change_url(question)).text
    preview = as_coach.post(reverse("admin:questions_question_preview"), {"body": "## Hi"})

    assert '"title": "Heat first"' in html and 'data-source="id_answer"' in html
    assert preview.json()["html"].startswith("<h2")


class TestModerators:
    def test_a_moderator_sees_held_and_spam_questions_but_no_email_and_no_answer(self, client):
        held = QuestionFactory(status="held", body="Held text to judge.", email="a@held.example")
        QuestionFactory(status="new", title="A new private case")
        client.force_login(moderator())

        listing = client.get(CHANGELIST).text
        page = client.get(change_url(held))

        assert "A new private case" not in listing
        assert page.status_code == 403 or "a@held.example" not in page.text
        assert (
            client.post(reverse("admin:questions_question_preview"), {"body": "x"}).status_code
            == 403
        )

    def test_a_moderator_judges_spam_and_not_spam_which_teaches_the_filter(self, client):
        held = QuestionFactory(status="held")
        junk = QuestionFactory(status="held", body="Buy cheap pills at pills.example")
        client.force_login(moderator())

        client.post(CHANGELIST, {"action": "not_spam", "_selected_action": [held.pk]})
        client.post(CHANGELIST, {"action": "mark_spam", "_selected_action": [junk.pk]})

        statuses = dict(Question.objects.values_list("pk", "status"))
        assert statuses[held.pk] == "new" and statuses[junk.pk] == "spam"
        assert Question.objects.get(pk=junk.pk).taught_as == "spam"

    def test_a_moderator_cannot_answer(self, client):
        question = QuestionFactory(status="held")
        client.force_login(moderator())

        client.post(
            change_url(question), {**form(question, answer="Sneaky."), "_publish_answer": "1"}
        )

        question.refresh_from_db()
        assert question.answer == "" and question.answer_published_at is None


@pytest.mark.parametrize("who", ["reader", "moderator"])
def test_privacy_requests_are_for_the_coach_only(client, who):
    client.force_login(UserFactory() if who == "reader" else moderator())

    response = client.get(reverse("admin:questions_privacy"))

    assert response.status_code in (302, 403)


@pytest.mark.parametrize("count", [3, 30])
def test_the_admin_list_runs_a_fixed_number_of_queries(as_coach, count, django_assert_num_queries):
    for n in range(count):
        QuestionFactory(areas=["neck", "shoulder"], status="new" if n % 2 else "answered")
    as_coach.get(CHANGELIST)

    # session, user, permissions (2), status counts, the areas filter, counts (2), the page,
    # the page's body areas, date hierarchy (2)
    with django_assert_num_queries(12):
        response = as_coach.get(CHANGELIST)

    assert response.status_code == 200


def test_moderators_question_decisions_are_reported_to_akismet_when_configured(
    client, settings, django_capture_on_commit_callbacks
):
    from unittest import mock

    settings.AKISMET_API_KEY = "key"
    junk = QuestionFactory(status="held", body="Buy pills", ip_address="192.0.2.7")
    client.force_login(moderator())

    with (
        mock.patch("painrelief.spam.akismet_backend.teach") as teach,
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(CHANGELIST, {"action": "mark_spam", "_selected_action": [junk.pk]})

    (call,) = teach.call_args_list
    submission, context = call.args
    assert "Buy pills" in submission.text and context.kind == "question"
    assert context.ip == "192.0.2.7" and call.kwargs == {"spam": True}


def test_saving_only_a_note_from_a_browser_keeps_the_public_page_up(as_coach):
    """A browser sends the textareas back with CRLF line endings: the answer and the public
    text are unchanged, so the asker's approval stands; what is stored has LF endings."""
    question = QuestionFactory(
        public=True,
        answer="## What to try first\n\nHeat, then gentle movement.",
        public_body="A reader's neck.\n\nStiff for weeks.",
    )
    crlf = {
        name: value.replace("\n", "\r\n")
        for name, value in form(question, internal_notes="Call back\nin a week.").items()
    }

    response = as_coach.post(change_url(question), crlf)

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.consent == "approved" and question.is_public
    assert question.internal_notes == "Call back\nin a week."
    assert as_coach.get(question.get_absolute_url()).status_code == 200
