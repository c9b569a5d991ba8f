"""The schedule in the admin: each periodic job, when it runs next, how its last run went."""

from django.conf import settings
from django.contrib import admin

from .models import PeriodicJob


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    list_display = ["name", "every", "next_run_at", "last_started_at", "last_result"]
    fields = [
        "name",
        "every",
        "next_run_at",
        "last_started_at",
        "last_finished_at",
        "last_result",
        "last_error",
    ]
    readonly_fields = fields

    @admin.display(description="every")
    def every(self, job):
        return settings.PERIODIC_TASKS.get(job.name, "no longer scheduled")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
