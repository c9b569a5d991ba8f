"""Periodic jobs run by the task worker itself: no cron.

PERIODIC_TASKS (settings) lists them: a dotted path to a function or a django.tasks task that
takes no argument, and how often it runs. Each job has one row (PeriodicJob) naming the one run
that waits for it in the durable queue. When that run comes, it first queues the next one (so
a job that fails or a worker that dies never ends the schedule), then does the work. `start()`,
called by `manage.py worker` each time a worker starts, queues a first run for each job that
has none waiting; the row's lock makes two workers starting together queue it once, and a copy
queued by mistake finds it is not the row's run and does nothing.
"""

import traceback
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import Task, TaskResultStatus, task
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import PeriodicJob


def start() -> list[str]:
    """Queue a run of each periodic job that has none waiting; the names of those queued."""
    queued = []
    for name, every in settings.PERIODIC_TASKS.items():
        PeriodicJob.objects.get_or_create(name=name)
        with transaction.atomic():
            job = PeriodicJob.objects.select_for_update().get(name=name)
            if not _waits_in_time(job, every):
                due = job.last_started_at + every if job.last_started_at else None
                _queue(job, run_after=due if due and due > timezone.now() else None)
                queued.append(name)
    return queued


@task(takes_context=True)
def run_periodic_job(context, name: str) -> str:
    """One run of a periodic job: the next one is queued first, then the job is done."""
    with transaction.atomic():
        job = PeriodicJob.objects.select_for_update().filter(name=name).first()
        if job is None or job.task_id != str(context.task_result.id):
            return "not the job's queued run: nothing done"
        every = settings.PERIODIC_TASKS.get(name)
        if every is None:
            PeriodicJob.objects.filter(pk=job.pk).update(task_id="", next_run_at=None)
            return "no longer in PERIODIC_TASKS: nothing done"
        job.last_started_at = timezone.now()
        _queue(job, run_after=job.last_started_at + every)
    try:
        result = _call(name)
    except Exception:
        PeriodicJob.objects.filter(pk=job.pk).update(
            last_finished_at=timezone.now(), last_result="failed", last_error=traceback.format_exc()
        )
        raise  # the task fails: django.tasks logs it at ERROR, the task list shows it
    summary = "done" if result is None else str(result)[:200]
    PeriodicJob.objects.filter(pk=job.pk).update(
        last_finished_at=timezone.now(), last_result=summary, last_error=""
    )
    return summary


def forget_finished_tasks() -> int:
    """Task results are kept TASKS_KEEP_FINISHED_DAYS for the record, then deleted; failed
    ones that will not be retried stay as long again (they are the operator's to look at)."""
    now = timezone.now()
    keep = timedelta(days=settings.TASKS_KEEP_FINISHED_DAYS)
    successful = DBTaskResult.objects.successful().filter(finished_at__lt=now - keep)
    failed = DBTaskResult.objects.failed().filter(finished_at__lt=now - 2 * keep)
    return successful.delete()[0] + failed.delete()[0]


def _waits_in_time(job: PeriodicJob, every: timedelta) -> bool:
    """A run of the job is queued (or running) and not later than `every` from now."""
    if not job.task_id:
        return False
    waiting = DBTaskResult.objects.filter(
        id=job.task_id, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).first()
    if waiting is None:
        return False
    return waiting.run_after == get_date_max() or waiting.run_after <= timezone.now() + every


def _queue(job: PeriodicJob, *, run_after) -> None:
    result = run_periodic_job.using(run_after=run_after).enqueue(job.name)
    job.task_id = str(result.id)
    job.next_run_at = run_after or timezone.now()
    job.save(update_fields=["task_id", "next_run_at", "last_started_at"])


def _call(name: str):
    job = import_string(name)
    return job.call() if isinstance(job, Task) else job()
