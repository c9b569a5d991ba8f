"""Erasing a person leaves nothing of them: a person with data in every place the site keeps
any, erased, then every table and the media storage searched for what they gave us.

What an erase keeps, and why, is in the README ("Privacy requests"): hashed spam statistics
and the moderators' decisions (ids and statuses), an empty "removed" place for a comment of
theirs that others answered, and others' replies.
"""

import io
import json
import os
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.db import connection, models
from django.db.models import Q
from django.test import Client, override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from PIL import Image

from painrelief.accounts import services as account_services
from painrelief.accounts.avatars import process_avatar
from painrelief.accounts.models import EmailChange, User
from painrelief.comments.models import Comment, CommentReport
from painrelief.downloads.models import DownloadRequest
from painrelief.mail import outbox
from painrelief.mail.models import OutgoingEmail
from painrelief.privacy import erase_person
from painrelief.sessions import SessionStore, cached_db
from painrelief.spam import tasks as spam_tasks
from painrelief.spam.models import SpamSource
from painrelief.subscriptions.models import Subscription
from questions.models import Question
from tests.downloads.conftest import make_resource
from tests.factories import PASSWORD, CommentFactory, QuestionFactory, UserFactory, coach

pytestmark = pytest.mark.django_db

EMAIL = "Maria.Quintero@example.net"
NAME = "Maria Quintero-Lopez"
BROWSER = "QuinteroBrowser/7.1 (erase-scan)"
IP = "203.0.113.77"
TEXTS = {
    "question title": "Quintero shoulder blade since the fall",
    "declined title": "Quintero hip since June",
    "case": "Quintero case: my left shoulder clicks since the skiing fall in March.",
    "notes": "Quintero note: follow up after the scan results.",
    "answer": "Quintero answer: try the doorway stretch twice a day.",
    "decline": "Quintero decline: please see your doctor about the numbness.",
    "public text": "Quintero public: a reader's shoulder clicks after a fall.",
    "guest comment": "Quintero guest comment: the heat pack helped my knee.",
    "account comment": "Quintero account comment: posture breaks every hour.",
    "answered comment": "Quintero answered comment: does this work for hips too?",
    "her report": "Quintero report: this reader advertises a clinic.",
    "report of her": "Quintero report of her comment: she names her neighbour.",
}
SECRETS = [EMAIL, NAME, BROWSER, IP, *TEXTS.values()]


def avatar():
    out = io.BytesIO()
    Image.new("RGB", (300, 300), "teal").save(out, format="JPEG")
    return process_avatar(SimpleUploadedFile("me.jpg", out.getvalue(), "image/jpeg"))


def make_person_everywhere(coach_client) -> dict:
    """Maria, with data in every place that holds a person's data."""
    traces = {"ip_address": IP, "user_agent": BROWSER}
    user = UserFactory(email=EMAIL, display_name=NAME)
    account_services.set_avatar(user=user, avatar=avatar())

    # Signing in from her browser: a session and login history; a wrong password elsewhere.
    browser = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=IP)
    login = reverse("accounts:login")
    assert browser.post(login, {"username": EMAIL, "password": PASSWORD}).status_code == 302
    Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=IP).post(
        login, {"username": EMAIL, "password": "wrong"}
    )

    question = QuestionFactory(
        email=EMAIL,
        name=NAME,
        user=user,
        title=TEXTS["question title"],
        body=TEXTS["case"],
        internal_notes=TEXTS["notes"],
        public=True,
        answer=TEXTS["answer"],
        public_body=TEXTS["public text"],
        red_flags=["Numbness"],
        reasons=[{"code": "classifier-unsure", "text": f"may be spam: {TEXTS['case'][:20]}"}],
        **traces,
    )
    declined = QuestionFactory(
        email=EMAIL.lower(),
        name=NAME,
        title=TEXTS["declined title"],
        status="declined",
        decline_message=TEXTS["decline"],
    )
    spam = QuestionFactory(email=EMAIL, name=NAME, status="spam", **traces)
    SpamSource.objects.create(
        content_type=ContentType.objects.get_for_model(Question),
        object_id=spam.pk,
        email=EMAIL.lower(),
        ip=IP,
    )
    # Two readers comment on her public question: they go with it.
    CommentFactory.create_batch(2, target=question, body="Thank you for sharing this.")
    CommentFactory(email=EMAIL, name=NAME, body=TEXTS["guest comment"], **traces)
    CommentFactory(user=user, email="", name=NAME, body=TEXTS["account comment"], **traces)
    answered = CommentFactory(email=EMAIL, name=NAME, body=TEXTS["answered comment"], **traces)
    reply = CommentFactory(parent=answered, body="Yes, it works for hips as well.")
    # She reports another reader's comment; another reader reports hers.
    CommentReport.objects.create(comment=reply, user=user, reason="spam", note=TEXTS["her report"])
    CommentReport.objects.create(
        comment=answered, guest_key="another-reader", reason="private", note=TEXTS["report of her"]
    )

    DownloadRequest.objects.create(resource=make_resource(), email=EMAIL, consent_text="ok")
    # She asked for a new address; somebody else asked to move their account to hers.
    EmailChange.objects.create(user=user, new_email="maria.q@example.org")
    EmailChange.objects.create(user=UserFactory(), new_email=EMAIL.upper())
    Subscription.objects.create(email=EMAIL, consent_text="Email me new articles.")

    # The coach saves her question in the admin (a log entry naming its title); a superuser
    # edits her account (one naming her display name).
    change = reverse("admin:questions_question_change", args=[declined.pk])
    saved = coach_client.post(
        change,
        {
            "status": "declined",
            "internal_notes": TEXTS["notes"],
            "decline_message": TEXTS["decline"],
        },
    )
    assert saved.status_code == 302
    LogEntry.objects.log_actions(
        user_id=coach_client.session["_auth_user_id"],
        queryset=[user],
        action_flag=CHANGE,
        change_message=f"Changed email to {EMAIL}",
        single_object=True,
    )

    # Emails: one to her, one to the coach naming her, and a task carrying her address.
    outbox.send(EmailMessage("Your answer", "A link for you.", to=[EMAIL]), key="to-her")
    outbox.send(
        EmailMessage("New comment", f"{NAME} wrote a comment.", to=["coach@example.org"]),
        key="naming-her",
    )
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        item = {"text": TEXTS["guest comment"], "author": NAME, "email": EMAIL, "url": ""}
        spam_tasks.report_to_akismet.enqueue(
            [{**item, "ip": IP, "user_agent": BROWSER, "kind": "comment"}], True
        )

    places = {
        "log entries": LogEntry.objects.filter(Q(object_repr__icontains="Quintero")).count(),
        "sessions": sessions_of(user),
        "logins": AccessLog.objects.count(),
        "failed logins": AccessAttempt.objects.count() + AccessFailureLog.objects.count(),
        "emails": OutgoingEmail.objects.count(),
        "tasks": DBTaskResult.objects.count(),
        "avatar files": [Path(user.avatar.path), Path(user.avatar_small.path)],
    }
    assert places["log entries"] >= 2 and places["sessions"] and places["logins"]
    assert places["failed logins"] >= 1 and places["emails"] == 2 and places["tasks"] == 1
    assert all(path.exists() for path in places["avatar files"])
    return {"user": user, **places}


def sessions_of(user) -> int:
    store = SessionStore()
    return sum(
        store.decode(s.session_data).get("_auth_user_id") == str(user.pk)
        for s in Session.objects.all()
    )


SEARCHED_FIELDS = (
    models.CharField,
    models.TextField,
    models.JSONField,
    models.GenericIPAddressField,
    models.FileField,
)


def rows_holding(secret: str) -> list[str]:
    """Every table whose text, character, JSON or address columns hold `secret`, read raw (in
    SQL, as stored: an encrypted column holds no plaintext to find)."""
    found = []
    quote = connection.ops.quote_name
    for model in apps.get_models():
        columns = [f.column for f in model._meta.concrete_fields if isinstance(f, SEARCHED_FIELDS)]
        if not columns or not model._meta.managed:
            continue
        where = " OR ".join(f"LOWER(CAST({quote(column)} AS TEXT)) LIKE %s" for column in columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {quote(model._meta.db_table)} WHERE {where}",  # noqa: S608 (quoted names)
                [f"%{secret.lower()}%"] * len(columns),
            )
            if count := cursor.fetchone()[0]:
                found.append(f"{model._meta.label}: {count} rows")
    store = SessionStore()
    for session in Session.objects.all():
        if secret.lower() in json.dumps(store.decode(session.session_data)).lower():
            found.append(f"session {session.pk}")
    return found


def files_holding(secret: str) -> list[str]:
    found = []
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        for folder, _, names in os.walk(root):
            for name in names:
                path = Path(folder, name)
                if secret.lower().encode() in path.read_bytes().lower():
                    found.append(str(path))
    return found


def test_erasing_a_person_leaves_nothing_of_them_in_any_table_or_file(
    client, django_capture_on_commit_callbacks
):
    client.force_login(coach(email="coach@example.org"))
    made = make_person_everywhere(client)
    # Found before (a question's private parts are encrypted: their plaintext is nowhere).
    assert all(rows_holding(s) for s in (EMAIL, NAME, BROWSER, IP, TEXTS["guest comment"]))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:questions_privacy"),
            {"email": EMAIL.upper(), "action": "erase", "confirm": "on"},
            follow=True,
        )

    (message,) = [str(m) for m in response.context["messages"] if "Erased" in str(m)]
    assert "3 questions" in message and "1 accounts" in message
    # Her 3 comments and the 2 others' comments deleted with her public question.
    assert "5 comments" in message
    assert {secret: rows_holding(secret) for secret in SECRETS if rows_holding(secret)} == {}
    assert {secret: files_holding(secret) for secret in SECRETS if files_holding(secret)} == {}
    assert not any(path.exists() for path in made["avatar files"])
    assert sessions_of(made["user"]) == 0
    assert not User.objects.filter(pk=made["user"].pk).exists()
    # Kept: the empty place of her answered comment (its reply stays), and others' data.
    removed = Comment.objects.get(status="removed")
    assert (removed.name, removed.email, removed.body, removed.user_agent) == ("", "", "", "")
    assert Comment.objects.filter(body="Yes, it works for hips as well.").exists()
    assert User.objects.filter(email="coach@example.org").exists()
    assert not EmailChange.objects.exists()


def test_an_export_holds_what_the_erase_would_delete(client):
    client.force_login(coach(email="coach@example.org"))
    make_person_everywhere(client)

    response = client.post(reverse("admin:questions_privacy"), {"email": EMAIL, "action": "export"})

    exported = json.loads(response.content)
    question = next(q for q in exported["questions"] if q["case"] == TEXTS["case"])
    assert question["internal_notes"] == TEXTS["notes"]
    assert (question["ip_address"], question["user_agent"]) == (IP, BROWSER)
    assert question["consent"]["state"] == "approved"
    assert question["consent"]["text_shown_for_approval"].endswith(TEXTS["answer"])
    assert question["red_flags"] == ["Numbness"]
    assert question["spam_defence"]["reasons"][0]["code"] == "classifier-unsure"
    declined = next(q for q in exported["questions"] if q["status"] == "declined")
    assert declined["decline_message"] == TEXTS["decline"]
    comments = {c["body"]: c for c in exported["comments"]}
    assert comments[TEXTS["guest comment"]]["user_agent"] == BROWSER
    assert exported["accounts"][0]["avatar"].startswith("data:image/webp;base64,")
    assert {login["ip_address"] for login in exported["login_history"]} == {IP}
    assert len(exported["login_history"]) >= 2
    assert exported["spam_sender_records"][0]["ip"] == IP
    assert exported["download_requests"][0]["consent_text"] == "ok"
    assert {c["new_email"] for c in exported["email_changes"]} == {
        "maria.q@example.org",
        EMAIL.upper(),
    }
    assert exported["subscriptions"][0]["consent_text"] == "Email me new articles."
    assert [r["note"] for r in exported["comment_reports"]] == [TEXTS["her report"]]
    assert len(exported["sessions"]) == 1
    assert {e["subject"] for e in exported["emails"]} == {"Your answer", "New comment"}
    assert exported["background_tasks"][0]["task_path"].endswith("report_to_akismet")
    assert any("Quintero" in entry["object_repr"] for entry in exported["admin_log_entries"])


def test_an_erased_accounts_sessions_go_also_where_they_are_read_from_a_cache(settings):
    """With Redis, sessions are read from the cache and written through to the database: the
    erase goes through the session engine, so no copy is left in the cache."""
    settings.SESSION_ENGINE = "painrelief.sessions.cached_db"
    UserFactory(email=EMAIL)
    browser = Client()
    browser.post(reverse("accounts:login"), {"username": EMAIL, "password": PASSWORD})
    key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert cached_db.SessionStore().exists(key)

    erase_person(EMAIL)

    assert not cached_db.SessionStore().exists(key)
    assert not Session.objects.filter(pk=key).exists()


# What a reader deleting their account keeps (README, "Accounts"): the text of the comment
# others answered, as "a former reader"'s, and, by the default choice, the public version of
# their published question: its public title (made from the title they wrote) and text, and
# the coach's answer.
KEPT_AFTER_SELF_DELETION = {
    TEXTS["answered comment"],
    TEXTS["report of her"],  # another reader's report of that comment, which stays
    TEXTS["question title"],
    TEXTS["public text"],
    TEXTS["answer"],
}


def test_deleting_ones_account_leaves_nothing_of_them_but_what_the_readme_lists(
    client, django_capture_on_commit_callbacks
):
    client.force_login(coach(email="coach@example.org"))
    made = make_person_everywhere(client)
    browser = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=IP)
    browser.post(reverse("accounts:login"), {"username": EMAIL, "password": PASSWORD})

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            reverse("accounts:delete"), {"questions": "keep-public", "password": PASSWORD}
        )

    assert response.status_code == 302
    gone = [secret for secret in SECRETS if secret not in KEPT_AFTER_SELF_DELETION]
    assert {secret: rows_holding(secret) for secret in gone if rows_holding(secret)} == {}
    assert {secret: files_holding(secret) for secret in SECRETS if files_holding(secret)} == {}
    assert not any(path.exists() for path in made["avatar files"])
    assert sessions_of(made["user"]) == 0
    assert not User.objects.filter(pk=made["user"].pk).exists()
    kept = Comment.objects.get(body=TEXTS["answered comment"])
    assert (kept.name, kept.email, kept.user_agent, kept.ip_address) == (
        "a former reader",
        "",
        "",
        None,
    )
    question = Question.objects.get()
    assert question.is_public and question.public_body == TEXTS["public text"]
    # Only the two others' comments on her question, and the reply to hers, stay besides.
    assert Comment.objects.count() == 4
