"""The periodic schedule on the durable queue: the worker queues each job once, each run does
the job and queues the next, and two workers starting together queue nothing twice."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from painrelief.mail.models import OutgoingEmail
from painrelief.worker import schedule
from painrelief.worker.models import PeriodicJob

# The worker commits and reconnects as in production: transactional tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PRUNE = "painrelief.mail.outbox.forget_old_sent_emails"
FAILING = "tests.worker.test_schedule.failing_job"


def failing_job():
    raise RuntimeError("the job's bug")


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PERIODIC_TASKS = {PRUNE: timedelta(days=1), FAILING: timedelta(hours=1)}


def waiting_runs():
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=schedule.run_periodic_job.module_path
    )


def run_worker(command="db_worker"):
    call_command(command, batch=True, startup_delay=False, reload=False, verbosity=0)


def test_the_worker_runs_each_job_and_queues_its_next_run(queue, settings):
    settings.EMAIL_KEEP_SENT_DAYS = 7
    OutgoingEmail.objects.create(
        key="old", to="a@example.net", subject="Hi", body="Text", status="sent"
    )
    OutgoingEmail.objects.update(sent_at=timezone.now() - timedelta(days=8))

    run_worker("worker")

    assert not OutgoingEmail.objects.exists()  # the job ran
    jobs = {job.name: job for job in PeriodicJob.objects.all()}
    assert jobs[PRUNE].last_result == "1" and jobs[PRUNE].last_error == ""
    assert "RuntimeError: the job's bug" in jobs[FAILING].last_error
    # One next run each, a period after this one started, even after the failure.
    next_runs = {run.args_kwargs["args"][0]: run for run in waiting_runs()}
    assert set(next_runs) == {PRUNE, FAILING}
    for name, every in settings.PERIODIC_TASKS.items():
        assert next_runs[name].run_after == jobs[name].last_started_at + every
        assert str(next_runs[name].id) == jobs[name].task_id
    assert DBTaskResult.objects.failed().count() == 1


def test_starting_again_queues_nothing_twice(queue):
    assert sorted(schedule.start()) == sorted([FAILING, PRUNE])
    assert schedule.start() == []
    run_worker()
    assert schedule.start() == []

    assert waiting_runs().count() == 2


def test_a_stray_copy_of_a_run_does_nothing(queue):
    schedule.start()
    run_worker()
    PeriodicJob.objects.update(last_result="")
    stray = schedule.run_periodic_job.enqueue(PRUNE)

    run_worker()

    assert DBTaskResult.objects.get(id=stray.id).return_value == (
        "not the job's queued run: nothing done"
    )
    assert PeriodicJob.objects.get(name=PRUNE).last_result == ""
    assert waiting_runs().count() == 2


def test_a_job_made_more_frequent_is_queued_again_sooner(queue, settings):
    schedule.start()
    run_worker()  # next runs in a day and an hour

    settings.PERIODIC_TASKS = {**settings.PERIODIC_TASKS, PRUNE: timedelta(minutes=5)}

    assert schedule.start() == [PRUNE]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_two_workers_starting_together_queue_each_job_once(queue):
    both_ready = threading.Barrier(2)
    queued = []

    def start_a_worker():
        both_ready.wait()
        try:
            queued.extend(schedule.start())
        finally:
            connection.close()

    workers = [threading.Thread(target=start_a_worker) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(queued) == sorted([FAILING, PRUNE])
    assert waiting_runs().count() == 2
