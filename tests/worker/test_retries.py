"""A task that fails before its email reaches the outbox runs again, under the same id, with
back-off; one given up on is shown to the staff on the admin index."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from painrelief.mail.models import OutgoingEmail
from painrelief.mail.outbox import deliver_later
from painrelief.worker import retries, schedule
from tests.comments.conftest import form_stamp
from tests.factories import coach
from tests.mail.test_outbox import ASK, QUESTION


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def later(**kwargs):
    return timezone.now() + timedelta(**kwargs)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_email_task_that_failed_while_composing_runs_again_and_sends_once(
    queue, client, settings, tmp_path
):
    """The templates were missing when the worker ran it (a broken deploy); once they are back,
    the retry writes and sends the email, once, under the first run's key."""
    templates = settings.TEMPLATES
    client.post(ASK, {**QUESTION, "form_stamp": form_stamp()})
    settings.TEMPLATES = [{**templates[0], "DIRS": [tmp_path]}]

    run_worker()

    (task,) = DBTaskResult.objects.failed()
    assert "TemplateDoesNotExist" in task.exception_class_path
    assert not OutgoingEmail.objects.exists() and mail.outbox == []

    settings.TEMPLATES = templates
    assert retries.retry_failed_tasks() == 0  # the first retry waits a minute
    assert retries.retry_failed_tasks(now=later(seconds=61)) == 1
    run_worker()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 2
    assert [m.to for m in mail.outbox] == [[QUESTION["email"]]]
    assert OutgoingEmail.objects.get().key.startswith(str(task.id))

    assert retries.retry_failed_tasks(now=later(hours=1)) == 0


def failed_task(attempts: int, *, finished=None, status=TaskResultStatus.FAILED):
    result = deliver_later.enqueue(1)
    finished = finished or timezone.now()
    DBTaskResult.objects.filter(id=result.id).update(
        status=status,
        worker_ids=[f"worker-{n}" for n in range(attempts)],
        started_at=finished,
        finished_at=finished if status == TaskResultStatus.FAILED else None,
        exception_class_path="django.db.utils.OperationalError",
    )
    return DBTaskResult.objects.get(id=result.id)


@pytest.mark.django_db
def test_retries_back_off_and_end_after_tasks_retry_attempts(queue, settings):
    settings.TASKS_RETRY_ATTEMPTS = 4
    third = failed_task(3)

    assert retries.retry_failed_tasks(now=later(minutes=3, seconds=50)) == 0  # waits 4 minutes
    assert retries.retry_failed_tasks(now=later(minutes=4, seconds=1)) == 1
    third.refresh_from_db()
    assert third.status == TaskResultStatus.READY

    failed_task(4)
    assert retries.retry_failed_tasks(now=later(days=1)) == 0
    assert len(retries.given_up()) == 1


@pytest.mark.django_db
def test_a_task_abandoned_by_a_dead_worker_runs_again(queue):
    abandoned = failed_task(
        1, finished=timezone.now() - timedelta(minutes=31), status=TaskResultStatus.RUNNING
    )
    failed_task(1, finished=timezone.now(), status=TaskResultStatus.RUNNING)  # still running

    assert retries.retry_failed_tasks() == 1
    abandoned.refresh_from_db()
    assert abandoned.status == TaskResultStatus.READY


@pytest.mark.django_db
def test_how_long_a_running_task_may_take_is_a_setting(queue, settings):
    settings.TASKS_STALE_RUNNING_SECONDS = 60
    failed_task(1, finished=timezone.now() - timedelta(seconds=30), status=TaskResultStatus.RUNNING)
    assert retries.retry_failed_tasks() == 0

    failed_task(1, finished=timezone.now() - timedelta(minutes=2), status=TaskResultStatus.RUNNING)
    assert retries.retry_failed_tasks() == 1


@pytest.mark.django_db
def test_a_periodic_job_that_failed_is_not_retried(queue):
    """Its next run is already queued."""
    run = schedule.run_periodic_job.enqueue("painrelief.mail.outbox.forget_old_sent_emails")
    DBTaskResult.objects.filter(id=run.id).update(
        status=TaskResultStatus.FAILED, worker_ids=["w"], finished_at=timezone.now()
    )

    assert retries.retry_failed_tasks(now=later(hours=1)) == 0


@pytest.mark.django_db
def test_tasks_given_up_on_are_shown_to_the_coach_on_the_admin_index(queue, client, settings):
    failed_task(settings.TASKS_RETRY_ATTEMPTS)
    client.force_login(coach(is_staff=True))

    index = client.get(reverse("admin:index")).text

    assert "1 task was given up on (deliver later)" in index
    assert "The site's operator sees why" in index
