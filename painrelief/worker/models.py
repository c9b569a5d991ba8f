"""The schedule's state: one row per periodic job, which names the one run waiting for it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicJob(models.Model):
    # The dotted path of the function or task, as listed in PERIODIC_TASKS.
    name = models.CharField(_("job"), max_length=200, unique=True, editable=False)
    # The id of the queued run that may run next; any other copy of the task does nothing.
    task_id = models.CharField(_("queued run"), max_length=64, blank=True, editable=False)
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_result = models.CharField(_("last result"), max_length=200, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self):
        return self.name
