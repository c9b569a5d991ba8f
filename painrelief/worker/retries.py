"""Failed tasks are run again, with back-off: django-tasks-db marks a failed task failed and
never retries it.

A task can fail before its email reaches the outbox (the worker lost the database while it
composed it; a bug): the same task, under the same id, is queued again after 1 minute, then
2, 4... at most an hour apart, until it has run TASKS_RETRY_ATTEMPTS times. Running under the
same id is what keeps a retry from sending twice: emails are keyed by the task's id and the
recipient (painrelief.mail.outbox). A task left "running" by a worker that died is retried the
same way, TASKS_STALE_RUNNING_SECONDS after it started. Every failure is logged at ERROR by
django.tasks; tasks given up on are counted on the admin index. The schedule runs
`retry_failed_tasks` every minute.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .schedule import run_periodic_job

FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=1)
# Retries end within a few hours; older failures are not looked at again.
WINDOW = timedelta(days=1)


def retry_failed_tasks(*, now=None) -> int:
    """Queue again the failed (or abandoned) tasks whose next attempt is due; how many."""
    now = now or timezone.now()
    retried = 0
    for result in _retryable(now).only("id", "status", "worker_ids", "started_at", "finished_at"):
        attempts = len(result.worker_ids)
        if attempts >= settings.TASKS_RETRY_ATTEMPTS:
            continue
        last_attempt = result.finished_at or result.started_at
        if last_attempt + min(FIRST_DELAY * 2 ** (attempts - 1), MAX_DELAY) > now:
            continue
        # Only if nobody changed it meanwhile (another worker's sweep, a late finish).
        retried += DBTaskResult.objects.filter(pk=result.pk, status=result.status).update(
            status=TaskResultStatus.READY, run_after=timezone.now(), finished_at=None
        )
    return retried


def given_up() -> list[DBTaskResult]:
    """Tasks that failed TASKS_RETRY_ATTEMPTS times and will not run again (the last week's)."""
    recent_failures = DBTaskResult.objects.failed().filter(
        finished_at__gte=timezone.now() - timedelta(days=7)
    )
    return [
        result
        for result in recent_failures.exclude(task_path=run_periodic_job.module_path)
        if len(result.worker_ids) >= settings.TASKS_RETRY_ATTEMPTS
    ]


def _retryable(now):
    failed = Q(status=TaskResultStatus.FAILED, finished_at__gte=now - WINDOW)
    abandoned = Q(
        status=TaskResultStatus.RUNNING,
        started_at__lt=now - timedelta(seconds=settings.TASKS_STALE_RUNNING_SECONDS),
        started_at__gte=now - WINDOW,
    )
    # A periodic job is not retried: its next run is already queued.
    return DBTaskResult.objects.filter(failed | abandoned).exclude(
        task_path=run_periodic_job.module_path
    )
