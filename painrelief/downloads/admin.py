"""The coach's list of reports and of the addresses that asked for them (exported as CSV)."""

import csv

from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.db.models import Count
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from .models import DownloadRequest, Resource


class PrivateFileInput(AdminFileWidget):
    """The current report by name: a private file has no address to link to."""

    template_name = "downloads/widgets/private_file_input.html"

    def is_initial(self, value):
        return bool(value and getattr(value, "name", ""))  # Django's asks for the file's URL


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.FileField: {"widget": PrivateFileInput}}
    list_display = ["title", "access", "created_at", "request_count"]
    list_filter = ["access"]
    search_fields = ["title"]
    # Explicit: the request counts' GROUP BY drops Meta.ordering, which the articles' report
    # autocomplete then paginates unordered.
    ordering = ["title"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(request_count=Count("requests"))

    @admin.display(description=_("email requests"), ordering="request_count")
    def request_count(self, resource):
        return resource.request_count


@admin.register(DownloadRequest)
class DownloadRequestAdmin(admin.ModelAdmin):
    list_display = ["email", "resource", "requested_at", "confirmed_at"]
    list_filter = ["resource", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    date_hierarchy = "requested_at"
    readonly_fields = ["resource", "email", "consent_text", "requested_at", "confirmed_at"]
    actions = ["export_csv"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Export the selected addresses as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="download-requests.csv"'
        writer = csv.writer(response)
        writer.writerow(["email", "resource", "requested_at", "confirmed_at", "consent"])
        for row in queryset.select_related("resource").order_by("requested_at"):
            writer.writerow(
                [
                    _csv_safe(row.email),
                    _csv_safe(row.resource.title),
                    row.requested_at.isoformat(),
                    row.confirmed_at.isoformat() if row.confirmed_at else "",
                    row.consent_text,
                ]
            )
        return response


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ is run as a formula by spreadsheets: quote it as text.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
