from django.apps import AppConfig


class WorkerConfig(AppConfig):
    """The task worker's own work: the periodic schedule and retries of failed tasks."""

    name = "painrelief.worker"
    label = "worker"
    verbose_name = "Task worker"
