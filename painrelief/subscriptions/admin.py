"""The coach's view of who gets new articles: counts, choices, and removing an address."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import Subscription


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Confirmed")), ("no", _("Waiting for confirmation"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(confirmed_at__isnull=self.value() == "no")
        return queryset


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "frequency", "topics", "created_at", "confirmed_at"]
    list_filter = [ConfirmedFilter, "frequency", "categories"]
    search_fields = ["email"]
    readonly_fields = ["email", "frequency", "consent_text", "created_at", "confirmed_at"]
    fields = readonly_fields
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("categories")

    def has_add_permission(self, request):
        return False  # readers subscribe themselves, with double opt-in

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("topics"))
    def topics(self, subscription):
        return ", ".join(c.name for c in subscription.categories.all()) or _("Everything")

    def changelist_view(self, request, extra_context=None):
        counts = Subscription.objects.aggregate(
            confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
            weekly=Count("pk", filter=Q(confirmed_at__isnull=False, frequency="weekly")),
            waiting=Count("pk", filter=Q(confirmed_at__isnull=True)),
        )
        return super().changelist_view(
            request, {**(extra_context or {}), "subscriber_counts": counts}
        )
