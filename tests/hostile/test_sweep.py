"""The hostile-input sweep (issue 12, item 6): every hostile string of payloads.py posted into
every public form field, then read on every page that shows it (the public page, the author's
own view, the admin's lists and change pages as the coach and as a moderator, feeds, emails).

Each must give no 5xx; either exact storage (what was typed, less the documented cleaning of
invisible characters: painrelief/text.py) or a clear form error with the text kept; and no
markup from input on any page, checked on the parsed HTML (tests/html.py: active_content).
"""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrelief.accounts.models import User
from painrelief.comments import services as comment_services
from painrelief.comments.guests import OWN_COMMENTS_KEPT
from painrelief.comments.models import Comment, CommentReport
from painrelief.comments.services import reporter_key
from painrelief.downloads.models import DownloadRequest
from painrelief.text import clean_line, clean_text
from questions import links as question_links
from questions.models import Question
from questions.services import public_text_of
from tests.comments.conftest import form_stamp
from tests.downloads.conftest import make_resource
from tests.factories import PASSWORD, CommentFactory, UserFactory
from tests.html import active_content, shows

from .conftest import assert_harmless
from .payloads import BAD_BYTES, HOSTILE, HOSTILE_EMAIL, MEGABYTE_TEXT

pytestmark = pytest.mark.django_db

TEXTS = [pytest.param(text, id=name) for name, text in HOSTILE]
# A sentence around a hostile text where a field needs more words (a case has 20 characters
# at least), with a word no other page has, for the search.
FILLER = "My neck hurts since the fall, worse in the morning: zygapophyseal."


def hostile_fields_after_errors(response, typed: dict) -> dict:
    """A form sent back with errors: it says so and keeps what was typed. The fields left
    to try again with (those whose hostile value was accepted)."""
    assert response.status_code in (200, 400), response.status_code
    html = assert_harmless(response)
    errors = _errors(response)
    assert errors and set(errors) <= set(typed), errors
    for value in typed.values():
        assert shows(html, value), f"the form lost {value!r}"
    return {name: value for name, value in typed.items() if name not in errors}


# --- Comments: name, website, body; the author's view, the public page, admin, emails ---------
#
# Every hostile text is posted as its own comment; the pages that list them are then read once
# with all of them on it, each comment's own pages one by one.


def post_comment(client, article, capture, **fields):
    data = {"name": "Maria", "email": HOSTILE_EMAIL, "body": FILLER, "form_stamp": form_stamp()}
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})
    with capture(execute=True):
        return client.post(url, {**data, **fields})


def post_each(post, field_sets: list[dict]) -> list[dict]:
    """Post each set of hostile fields; where some are refused (with the form kept), post the
    rest again. What was stored: the fields accepted, one dict per submission."""
    stored = []
    for typed in field_sets:
        response = post(**typed)
        if response.status_code not in (200, 302) or (response.context and _errors(response)):
            typed = hostile_fields_after_errors(response, typed)
            if not typed:
                continue
            response = post(**typed)
        assert response.status_code in (200, 302), (typed, response.status_code)
        assert not (response.context and _errors(response)), typed
        stored.append(typed)
    return stored


def _errors(response):
    form = response.context.get("form") or response.context.get("download_form")
    return form is not None and form.is_bound and form.errors


def test_comments_name_and_body(article, staff, settings, django_capture_on_commit_callbacks):
    settings.COMMENTS_THREADS_PER_PAGE = 200  # every comment on one page
    sets = [{"name": text, "body": text} for _id, text in HOSTILE]
    stored = []
    # Each author's browser remembers its last comments: the held ones it may see.
    for start in range(0, len(sets), OWN_COMMENTS_KEPT):
        author = Client()

        def post(author=author, **typed):
            return post_comment(author, article, django_capture_on_commit_callbacks, **typed)

        before = len(stored)
        stored += post_each(post, sets[start : start + OWN_COMMENTS_KEPT])
        held = author.get(article.get_absolute_url())
        held = assert_harmless(held, "the author's own comments, held")
        assert_shows_comments(held, Comment.objects.order_by("pk")[before:])

    comments = list(Comment.objects.order_by("pk"))
    assert len(comments) == len(stored)
    for comment, typed in zip(comments, stored, strict=True):
        assert comment.name == clean_line(typed.get("name", "Maria"))
        assert comment.body == clean_text(typed.get("body", FILLER)).strip()
        assert comment.email == HOSTILE_EMAIL
        if comment.status != Comment.Status.SPAM:  # the coach hears of the others
            # The coach's email is plain text: the name as written, nothing escaped (a held
            # comment's text is not quoted in it, only linked).
            admin_url = reverse("admin:comments_comment_change", args=[comment.pk])
            [told] = [m for m in emails_to(staff["coach"].user.email) if admin_url in m.body]
            assert comment.name in told.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.moderate(
            comments=comments, status=Comment.Status.APPROVED, moderator=staff["moderator"].user
        )
    public = assert_harmless(Client().get(article.get_absolute_url()), "the public article")
    assert_shows_comments(public, comments)
    for feed in (reverse("comments:feed"), reverse("articles:comments-feed", args=[article.slug])):
        assert_feed_harmless(Client().get(feed), {f"{c.name} on “{article}”" for c in comments})
    approvals = emails_to(HOSTILE_EMAIL)
    for comment in comments:  # "Hello <name>": the approval notice, plain text
        assert any(comment.name in message.body for message in approvals), comment.name
    assert_admin_pages_harmless(staff, comments)


def assert_shows_comments(html, comments):
    for comment in comments:
        assert shows(html, comment.body) and shows(html, comment.name), comment.name


def emails_to(address: str) -> list:
    messages = [m for m in mail.outbox if address in m.to]
    for message in messages:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert "&lt;" not in message.subject and "&#x27;" not in message.subject
    return messages


def assert_admin_pages_harmless(staff, comments, roles=("coach", "moderator")):
    for role in roles:
        client = staff[role]
        listed = client.get(reverse("admin:comments_comment_changelist"), {"all": ""})
        assert_harmless(listed, f"the {role}'s comment list")
        for comment in comments:
            change = client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
            html = assert_harmless(change, f"the {role}'s page of comment {comment.name!r}")
            assert shows(html, comment.body) and shows(html, comment.name), role


def test_comments_website(article, staff, django_capture_on_commit_callbacks):
    def post(**typed):
        return post_comment(Client(), article, django_capture_on_commit_callbacks, **typed)

    stored = post_each(post, [{"website": text} for _id, text in HOSTILE])

    comments = list(Comment.objects.order_by("pk"))
    for comment, typed in zip(comments, stored, strict=True):
        # Accepted: a web address (https:// added when it had no scheme), or nothing.
        if comment.website:
            assert comment.website.startswith(("http://", "https://"))
            assert comment.website.split("//", 1)[1] in typed["website"]
        else:
            assert not typed["website"].strip()
    Comment.objects.update(status=Comment.Status.APPROVED)
    assert_harmless(Client().get(article.get_absolute_url()), "the public article")
    assert_admin_pages_harmless(staff, comments, roles=("coach",))


# --- Reports of a comment: the note, in the moderators' queue and on the comment's page -------


def test_report_notes(article, staff, settings):
    settings.COMMENT_REPORTS_TO_HIDE = len(HOSTILE) + 1  # every report reaches the form
    comment = CommentFactory(target=article, body=FILLER)
    url = reverse("comments:report", args=[comment.pk])
    stored = {}
    for index, (_id, text) in enumerate(HOSTILE):
        address = f"2001:db8:{index + 1:x}::1"  # one reader each
        response = Client(REMOTE_ADDR=address).post(
            url, {"reason": "other", "note": text, "form_stamp": form_stamp()}
        )
        if response.status_code == 400:
            hostile_fields_after_errors(response, {"note": text})
            continue
        assert response.status_code == 302, (text, response.status_code)
        report = CommentReport.objects.filter(guest_key=reporter_key(address)).first()
        if report is not None:  # or dropped by the spam defence, with the same answer
            assert report.note == clean_line(text)
            stored[report.pk] = report.note
    assert stored

    for role in ("coach", "moderator"):
        queue = staff[role].get(reverse("admin:comments_comment_changelist"), {"reported": "open"})
        queue = assert_harmless(queue, f"the {role}'s reported comments")
        page = staff[role].get(reverse("admin:comments_comment_change", args=[comment.pk]))
        page = assert_harmless(page, f"the {role}'s page of the reported comment")
        for note in stored.values():
            assert shows(queue, note) and shows(page, note), (role, note)


# --- Questions: every field of the ask form, the asker's choices, the public version ----------


def ask(client, **fields):
    data = {
        "title": "Knots by the shoulder blade",
        "body": FILLER,
        "name": "Anna",
        "email": HOSTILE_EMAIL,
        "publication": "named",
        "duration": "",
        "form_stamp": form_stamp(),
        **fields,
    }
    return client.post(reverse("questions:ask"), data)


@pytest.mark.parametrize("text", TEXTS)
def test_question_choices(text, client):
    """The choices of the ask form refuse what they do not offer, the rest kept."""
    choices = {"duration": text, "publication": text, "body_areas": text}

    response = ask(client, title=text, name=text, **choices)

    assert set(choices) <= set(response.context["form"].errors)
    hostile_fields_after_errors(response, {"title": text, "name": text, **choices})


def test_questions_every_text_field(staff, django_capture_on_commit_callbacks):
    asker = Client()
    sets = [{"title": text, "body": f"{text}\n\n{FILLER}", "name": text} for _id, text in HOSTILE]
    questions = []
    for typed in post_each(lambda **fields: ask(asker, **fields), sets):  # the preview
        with django_capture_on_commit_callbacks(execute=True):
            sent = ask(asker, **typed, send="")
        question = Question.objects.latest("pk")
        assert question.title == clean_line(typed.get("title", "Knots by the shoulder blade"))
        assert question.body == clean_text(typed.get("body", FILLER)).strip()
        assert question.name == clean_line(typed.get("name", "Anna"))
        assert question.email == HOSTILE_EMAIL
        assert_harmless(asker.get(sent["Location"]), "the thank-you page")
        assert_private_page_harmless(asker, question, typed.get("title", ""))
        questions.append(question)
    assert len(questions) == len(HOSTILE) - 2  # the 10,000-character name, the NUL
    emails_to(HOSTILE_EMAIL)  # subjects of ours; they carry no text of the case

    coach_client, moderator_client = staff["coach"], staff["moderator"]
    desk = coach_client.get(reverse("admin:questions_question_changelist"), {"all": ""})
    assert_harmless(desk, "the coach's desk")
    for question in questions:
        change_url = reverse("admin:questions_question_change", args=[question.pk])
        case = assert_harmless(coach_client.get(change_url), "the coach's case page")
        assert shows(case, question.title)
    Question.objects.update(status=Question.Status.HELD)
    queue = moderator_client.get(reverse("admin:questions_question_changelist"), {"all": ""})
    assert_harmless(queue, "the moderators' question list")
    for question in questions:
        change_url = reverse("admin:questions_question_change", args=[question.pk])
        assert_harmless(moderator_client.get(change_url), "the moderator's question page")

    visitor = Client()
    for question in questions:
        make_public(question)
        public = assert_harmless(visitor.get(question.get_absolute_url()), "the public question")
        assert shows(public, question.public_title) and shows(public, question.name)
    assert_harmless(visitor.get(reverse("questions:list")), "the public Q&A")
    assert_harmless(visitor.get(reverse("search"), {"q": "zygapophyseal"}), "the search")
    feed = visitor.get(reverse("questions:feed"))
    assert_feed_harmless(feed, {question.public_title for question in questions})


def assert_private_page_harmless(asker, question, text) -> None:
    """The asker's own page, and its choices refusing what they do not offer."""
    private_url = question_links.private_path(question)
    private = assert_harmless(asker.get(private_url), "the private page")
    assert shows(private, question.title) and shows(private, question.body)
    refused = asker.post(private_url, {"action": "publication", "publication": text})
    assert refused.status_code == 400
    assert_harmless(refused, "the private page's refused choice")
    assert asker.post(private_url, {"action": text}).status_code == 302


def make_public(question: Question) -> None:
    """As the coach would: the asker's words as the public version, answered, approved."""
    question.status = Question.Status.ANSWERED
    question.answer = "## What to try first\n\nHeat, then gentle movement."
    question.answer_published_at = timezone.now()
    question.publication = Question.Publication.NAMED
    question.public_title = question.title
    question.public_body = question.body
    question.consent_text = public_text_of(question)
    question.consent = Question.Consent.APPROVED
    question.published_at = timezone.now()
    question.save()


def assert_feed_harmless(response, titles: set[str]) -> None:
    """A well-formed feed whose items have the titles as typed, and harmless HTML inside."""
    assert response.status_code == 200
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 (our own feed)
    assert channel.findall("item")
    for item in channel.findall("item"):
        assert item.findtext("title") in titles
        problems = active_content(item.findtext("description") or "")
        assert not problems, problems


# --- Sign-up and profile: the display name wherever it is shown --------------------------------


def test_sign_up_display_names(article, staff):
    users = []
    for number, (_id, text) in enumerate(HOSTILE):
        reader = Client()
        data = {
            "email": f"ruth{number}@example.org",
            "display_name": text,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "form_stamp": form_stamp(),
        }
        response = reader.post(reverse("accounts:signup"), data)
        if response.status_code != 302:
            hostile_fields_after_errors(response, {"display_name": text})
            continue
        user = User.objects.get(email=data["email"])
        assert user.display_name == clean_line(text)
        assert_harmless(reader.get(response["Location"]), "the check-your-email page")
        reader.force_login(user)
        profile = assert_harmless(reader.get(reverse("accounts:profile")), "the profile")
        assert shows(profile, user.display_name)
        users.append(user)
    assert_display_names_harmless(users, article, staff)


def test_profile_display_names():
    users = []
    for _id, text in HOSTILE:
        user = UserFactory(display_name="Ruth")
        reader = Client()
        reader.force_login(user)
        response = reader.post(reverse("accounts:profile"), {"display_name": text})
        user.refresh_from_db()
        if response.status_code != 302:
            hostile_fields_after_errors(response, {"display_name": text})
            assert user.display_name == "Ruth"
            continue
        assert user.display_name == clean_line(text)
        profile = assert_harmless(reader.get(reverse("accounts:profile")), "the profile")
        assert shows(profile, user.display_name)
        users.append(user)
    # Where else the names show: test_sign_up_display_names.
    # Refused: over 60 characters (three of them), only spaces, NUL.
    assert len(users) == len(HOSTILE) - 5


def assert_display_names_harmless(users, article, staff) -> None:
    """The names on comments of theirs (the public page, the admin), and in the user list."""
    comments = [CommentFactory(target=article, user=user, name="", email="") for user in users]
    page = assert_harmless(Client().get(article.get_absolute_url()), "the public article")
    moderator_client, coach_client = staff["moderator"], staff["coach"]
    queue = moderator_client.get(reverse("admin:comments_comment_changelist"), {"all": ""})
    assert_harmless(queue, "the moderators' queue")
    listed = coach_client.get(reverse("admin:accounts_user_changelist"), {"all": ""})
    listed = assert_harmless(listed, "the coach's user list")
    for user, comment in zip(users, comments, strict=True):
        assert shows(page, user.display_name) and shows(listed, user.display_name)
        change = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
        assert_harmless(change, "the moderator's comment page")
        change = coach_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
        assert_harmless(change, "the coach's user page")


# --- The download request and the search -------------------------------------------------------


@pytest.mark.parametrize("text", [*TEXTS, pytest.param(HOSTILE_EMAIL, id="quoted-address")])
def test_download_request_email(text, client, staff, django_capture_on_commit_callbacks):
    resource = make_resource()
    url = reverse("downloads:resource", kwargs={"pk": resource.pk})
    data = {"email": text, "consent": "on", "form_stamp": form_stamp()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    if response.status_code == 400:
        html = assert_harmless(response, "the download form")
        assert "email" in response.context["download_form"].errors and shows(html, text)
        assert not DownloadRequest.objects.exists()
        return

    assert response.status_code == 200
    assert shows(assert_harmless(response, "the download's thank-you page"), text)
    assert DownloadRequest.objects.get().email == text
    assert [message.to for message in emails_to(text)] == [[text]]
    admin_list = staff["coach"].get(reverse("admin:downloads_downloadrequest_changelist"))
    assert shows(assert_harmless(admin_list, "the coach's download requests"), text)


@pytest.mark.parametrize("text", TEXTS)
def test_search_query(text, client):
    response = client.get(reverse("search"), {"q": text})

    assert response.status_code == 200
    assert_harmless(response, "the search")


# --- What no browser sends: bytes that are not UTF-8, and a megabyte of text -------------------

FORMS = {
    "comment": (
        lambda article: reverse(
            "comments:post", kwargs={"label": "articles.article", "pk": article.pk}
        ),
        {"name": "Maria", "email": "maria@example.net", "body": FILLER},
        "body",
        Comment,
    ),
    "question": (
        lambda article: reverse("questions:ask"),
        {"title": "Knots", "body": FILLER, "name": "Anna", "email": "anna@example.net"},
        "body",
        Question,
    ),
    "report": (
        lambda article: reverse("comments:report", args=[CommentFactory(target=article).pk]),
        {"reason": "other"},
        "note",
        CommentReport,
    ),
    "sign-up": (
        lambda article: reverse("accounts:signup"),
        {"email": "ruth@example.org", "password1": PASSWORD, "password2": PASSWORD},
        "display_name",
        User,
    ),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("name", "damaged"), BAD_BYTES, ids=[n for n, _ in BAD_BYTES])
def test_bytes_not_utf8_are_refused_with_the_rest_kept(client, article, form, name, damaged):
    url, data, field, model = FORMS[form]
    users_before = User.objects.count()
    body = urlencode({**data, field: damaged, "form_stamp": form_stamp(), "send": ""})

    response = client.post(url(article), body, "application/x-www-form-urlencoded")

    html = assert_harmless(response)
    assert response.status_code in (200, 400)  # sign-up, a FormView, answers 200
    assert "did not arrive intact" in html
    assert field in response.context["form"].errors
    assert all(shows(html, v) for k, v in data.items() if k != field and "password" not in k)
    if model is User:
        assert model.objects.count() == users_before
    else:
        assert not model.objects.exists()


@pytest.mark.parametrize("form", FORMS)
def test_a_megabyte_of_text_is_refused_with_a_message_and_kept(client, article, form):
    url, data, field, _model = FORMS[form]

    response = client.post(url(article), {**data, field: MEGABYTE_TEXT, "form_stamp": form_stamp()})

    assert response.status_code in (200, 400)
    assert field in response.context["form"].errors
    assert MEGABYTE_TEXT.strip() in response.content.decode()


def test_a_megabyte_query_is_searched_as_its_first_words(client):
    response = client.get(reverse("search"), {"q": MEGABYTE_TEXT})

    assert response.status_code == 200
    assert_harmless(response)


# --- Signed-in account forms: the new email address, the account deletion -----------------


@pytest.mark.parametrize("text", [*TEXTS, pytest.param(HOSTILE_EMAIL, id="quoted-address")])
def test_email_change_addresses(text, staff, django_capture_on_commit_callbacks):
    """Refused with the text kept, or sent: then the link's page, the profile after it and the
    coach's user pages are harmless, and the emails went to the address as typed."""
    user = UserFactory(display_name="Ruth")
    reader = Client()
    reader.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = reader.post(
            reverse("accounts:email-change"), {"new_email": text, "password": PASSWORD}
        )
    if response.status_code != 302:
        hostile_fields_after_errors(response, {"new_email": text})
        assert not mail.outbox
        return

    profile = assert_harmless(reader.get(response["Location"]), "the profile after the request")
    assert shows(profile, text)
    (confirm,) = emails_to(text)
    link = re.search(r"/accounts/email/confirm/[\w-]+/[\w-]+/", confirm.body).group(0)
    assert shows(assert_harmless(reader.get(link), "the link's page"), text)
    reader.post(link)
    user.refresh_from_db()
    assert user.email == text
    assert shows(assert_harmless(reader.get(reverse("accounts:profile")), "the profile"), text)
    listed = staff["coach"].get(reverse("admin:accounts_user_changelist"), {"all": ""})
    assert shows(assert_harmless(listed, "the coach's user list"), text)
    change = staff["coach"].get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert_harmless(change, "the coach's user page")


@pytest.mark.parametrize("text", TEXTS)
def test_account_deletion_fields(text):
    """A hostile password or choice is refused harmlessly, and nothing is deleted."""
    user = UserFactory(display_name="Ruth")
    reader = Client()
    reader.force_login(user)
    for data in ({"questions": "delete", "password": text}, {"questions": text, "password": "x"}):
        response = reader.post(reverse("accounts:delete"), data)

        assert response.status_code == 200
        assert_harmless(response, "the deletion page")
        assert set(_errors(response)) <= {"questions", "password"} and _errors(response)
    assert User.objects.filter(pk=user.pk).exists()


ACCOUNT_FORMS = {
    "email change": ("accounts:email-change", {"password": PASSWORD}, "new_email"),
    "account deletion": ("accounts:delete", {"questions": "delete"}, "password"),
}


@pytest.mark.parametrize("form", ACCOUNT_FORMS)
@pytest.mark.parametrize(("name", "damaged"), BAD_BYTES, ids=[n for n, _ in BAD_BYTES])
def test_account_forms_refuse_bytes_not_utf8(form, name, damaged):
    url, data, field = ACCOUNT_FORMS[form]
    user = UserFactory()
    reader = Client()
    reader.force_login(user)
    body = urlencode({**data, field: damaged})

    response = reader.post(reverse(url), body, "application/x-www-form-urlencoded")

    html = assert_harmless(response)
    assert response.status_code == 200 and field in response.context["form"].errors
    if field == "new_email":
        assert "did not arrive intact" in html
    user.refresh_from_db()
    assert User.objects.filter(pk=user.pk, email=user.email).exists() and not mail.outbox


@pytest.mark.parametrize("form", ACCOUNT_FORMS)
def test_account_forms_refuse_a_megabyte(form):
    url, data, field = ACCOUNT_FORMS[form]
    user = UserFactory()
    reader = Client()
    reader.force_login(user)

    response = reader.post(reverse(url), {**data, field: MEGABYTE_TEXT})

    assert_harmless(response)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert User.objects.filter(pk=user.pk).exists() and not mail.outbox
