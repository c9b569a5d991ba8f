"""The outbox in the admin: what was sent, what waits for the mail server, what failed."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import outbox
from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "status", "attempts", "created_at", "next_attempt_at", "sent_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "status",
        "to",
        "subject",
        "body",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "give_up_at",
        "sent_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again now"), permissions=["view"])
    def send_again(self, request, queryset):
        sent = outbox.retry_now(emails=list(queryset))
        self.message_user(request, _("%(count)s sent.") % {"count": sent}, messages.SUCCESS)
