"""The spam defence in the admin: disallowed terms (as WordPress's "disallowed comment keys")
and the record of moderators' decisions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Decision, DisallowedTerm


@admin.register(DisallowedTerm)
class DisallowedTermAdmin(admin.ModelAdmin):
    list_display = ["value", "kind", "note", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value", "note"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Who decided what, when: read only."""

    list_display = [
        "decided_at",
        "moderator",
        "submission_link",
        "from_status",
        "to_status",
        "taught",
    ]
    list_filter = ["to_status", "taught", "content_type", "decided_at"]
    list_select_related = ["moderator", "content_type"]
    date_hierarchy = "decided_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("submission"))
    def submission_link(self, decision):
        return f"{decision.content_type.name} #{decision.object_id}"
