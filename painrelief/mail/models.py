"""Every email the site sends, kept until it is delivered: its state is visible in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmailQuerySet(models.QuerySet):
    def failed(self):
        """Given up on after EMAIL_RETRY_HOURS: an operator must look."""
        return self.filter(status=OutgoingEmail.Status.FAILED)


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed: given up")

    # One event's email (the task that wrote it, and the recipient): a task run twice, or an
    # email retried, is delivered once.
    key = models.CharField(max_length=200, unique=True, editable=False)
    to = models.TextField(_("to"), help_text=_("The addresses, separated by commas."))
    from_email = models.CharField(_("from"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("text"))
    headers = models.JSONField(default=dict, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.WAITING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    give_up_at = models.DateTimeField(_("retried until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["waiting", "sending", "sent", "failed"]),
                name="outgoing_email_status_valid",
            )
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    @property
    def recipients(self) -> list[str]:
        return [address.strip() for address in self.to.split(",") if address.strip()]
