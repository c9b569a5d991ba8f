"""Email is never silently lost: every email waits in the outbox until a real SMTP server has
taken it, retried with back-off while the server refuses or is away, and given up on loudly."""

import io
import logging
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from painrelief.mail import outbox
from painrelief.mail.models import OutgoingEmail
from questions.models import Question
from tests.comments.conftest import form_stamp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ASK = reverse("questions:ask")
QUESTION = {
    "title": "A stiff neck",
    "body": "My neck has been stiff for three weeks, worse in the morning.",
    "name": "Anna",
    "email": "anna@example.net",
    "publication": "private",
    "send": "",
}


def ask(client, capture):
    with capture(execute=True):
        return client.post(ASK, {**QUESTION, "form_stamp": form_stamp()})


def test_an_email_refused_by_the_mail_server_is_sent_once_when_it_accepts_again(
    client, mail_server, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_RETRY_FIRST_DELAY_SECONDS = 0
    mail_server.refusing = True

    response = ask(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and Question.objects.count() == 1
    (waiting,) = OutgoingEmail.objects.all()
    assert waiting.status == "waiting" and waiting.attempts == 1 and "451" in waiting.last_error
    assert mail_server.received == []

    mail_server.refusing = False
    call_command("outbox", "retry", stdout=io.StringIO())
    call_command("outbox", "retry", stdout=io.StringIO())

    assert mail_server.recipients() == [["anna@example.net"]]
    waiting.refresh_from_db()
    assert waiting.status == "sent" and waiting.attempts == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_worker_retries_while_the_mail_server_is_away(client, mail_server, settings):
    """On the durable queue: the question's email task runs in the worker, its delivery fails
    while the server is stopped, and the next attempt is queued to run after a delay. (The
    worker commits and reconnects as in production: a transactional test.)"""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_RETRY_FIRST_DELAY_SECONDS = 1
    mail_server.stop()

    client.post(ASK, {**QUESTION, "form_stamp": form_stamp()})
    assert not OutgoingEmail.objects.exists()  # queued as a task, not yet written
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    (waiting,) = OutgoingEmail.objects.all()
    assert waiting.status == "waiting" and waiting.attempts == 1

    mail_server.start()
    time.sleep(1.1)
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    assert mail_server.recipients() == [["anna@example.net"]]
    waiting.refresh_from_db()
    assert waiting.status == "sent"


def test_an_email_given_up_on_is_logged_at_error_and_shown_on_the_admin_index(
    client, mail_server, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_RETRY_HOURS = 0
    mail_server.refusing = True
    ask(client, django_capture_on_commit_callbacks)

    (failed,) = OutgoingEmail.objects.all()
    assert failed.status == "failed"
    (alert,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert "given up after 1 attempts" in alert.getMessage()
    assert "anna@example.net" not in alert.getMessage()  # logs carry no address

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    index = client.get(reverse("admin:index")).text
    assert "1 email was given up on" in index

    mail_server.refusing = False
    client.post(
        reverse("admin:mail_outgoingemail_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk]},
    )
    failed.refresh_from_db()
    assert failed.status == "sent" and mail_server.recipients() == [["anna@example.net"]]


def test_an_email_task_that_runs_twice_sends_once(mail_server):
    message = EmailMessage("Hello", "Your answer is ready.", to=["anna@example.net"])

    outbox.send(message, key="task-1:anna@example.net")
    outbox.send(message, key="task-1:anna@example.net")

    assert mail_server.recipients() == [["anna@example.net"]]


def test_the_outbox_is_for_those_who_may_see_it(client, mail_server):
    outbox.send(EmailMessage("Hi", "Text", to=["anna@example.net"]), key="k")
    client.force_login(UserFactory(is_staff=True))

    assert client.get(reverse("admin:mail_outgoingemail_changelist")).status_code == 403
    assert "outgoing" not in client.get(reverse("admin:index")).text.lower()


def test_emails_in_the_unit_tests_still_reach_djangos_outbox():
    """Without the SMTP fixture, tests keep Django's in-memory outbox (and no server)."""
    outbox.send(EmailMessage("Hi", "Text", to=["anna@example.net"]), key="k2")

    assert [m.to for m in mail.outbox] == [["anna@example.net"]]


def test_a_password_reset_link_waits_in_the_outbox_while_the_mail_server_is_away(
    client, mail_server, settings
):
    settings.EMAIL_RETRY_FIRST_DELAY_SECONDS = 0
    UserFactory(email="tomas@example.org")
    mail_server.stop()

    response = client.post(reverse("accounts:password-reset"), {"email": "tomas@example.org"})
    mail_server.start()
    outbox.deliver_due()

    assert response.status_code == 302
    assert mail_server.recipients() == [["tomas@example.org"]]
    assert b"/accounts/password/reset/" in mail_server.received[0].content


def test_an_email_that_fails_for_a_bug_of_ours_is_given_up_loudly_not_left_sending(
    client, mail_server, caplog
):
    """An error that is neither the mail server's nor the network's (here a header that cannot
    be written) would fail the same way on every retry: the email is marked failed at once,
    with the operator alert, and the error still reaches the caller with its traceback."""
    message = EmailMessage("Hi", "Text", to=["anna@example.net"], headers={"X-Note": "a\nb"})

    with pytest.raises(ValueError):
        outbox.send(message, key="bad-header")

    (email,) = OutgoingEmail.objects.all()
    assert email.status == "failed" and email.last_error.startswith("ValueError")
    (alert,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert (
        f"Email {email.pk}" in alert.getMessage() and "anna@example.net" not in alert.getMessage()
    )
    assert mail_server.received == []
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "1 email was given up on" in client.get(reverse("admin:index")).text


class WorkerKilledMidDelivery(BaseEmailBackend):
    """What a worker killed in the middle of an SMTP conversation leaves behind."""

    def send_messages(self, email_messages):
        raise KeyboardInterrupt


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_email_whose_worker_died_while_sending_is_taken_over_later(mail_server, settings):
    """An email left "sending" by a worker (or a database) that went away in the middle is
    delivered by the schedule's sweep, not stuck."""
    smtp = settings.MAILERS
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.WorkerKilledMidDelivery"}}

    with pytest.raises(KeyboardInterrupt):
        outbox.send(EmailMessage("Hi", "Text", to=["anna@example.net"]), key="killed")
    (email,) = OutgoingEmail.objects.all()
    assert email.status == "sending"

    settings.MAILERS = smtp
    assert outbox.deliver_overdue() == 0  # not yet: it may still be on its way
    timeout = timedelta(seconds=settings.EMAIL_SENDING_TIMEOUT_SECONDS + 1)
    OutgoingEmail.objects.update(last_attempt_at=F("last_attempt_at") - timeout)
    assert outbox.deliver_overdue() == 1

    email.refresh_from_db()
    assert email.status == "sent" and mail_server.recipients() == [["anna@example.net"]]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_while_the_mail_server_is_away_an_email_has_one_retry_waiting_at_a_time(
    mail_server, settings
):
    """Each failed attempt queues the next one alone: otherwise every failure would start one
    more chain of retries."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_RETRY_FIRST_DELAY_SECONDS = 0
    settings.EMAIL_SENDING_TIMEOUT_SECONDS = 0
    mail_server.stop()

    outbox.send(EmailMessage("Hi", "Text", to=["anna@example.net"]), key="away")
    call_command("db_worker", batch=True, max_tasks=8, startup_delay=False, verbosity=0)

    (email,) = OutgoingEmail.objects.all()
    retries = DBTaskResult.objects.ready().filter(task_path__endswith=".deliver_later")
    assert email.status == "waiting" and retries.count() == 1
    assert email.attempts == 1 + 8  # the first, then one for every retry the worker ran
