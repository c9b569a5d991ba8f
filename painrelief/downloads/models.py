"""Reports that articles offer, free or emailed, and the addresses that asked for them."""

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import private_storage


class Resource(models.Model):
    """A downloadable file (a PDF report) that articles can offer."""

    class Access(models.TextChoices):
        FREE = "free", _("Free download")
        EMAIL = "email", _("Link sent by email")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to="resources/", storage=private_storage)
    access = models.CharField(
        _("access"),
        max_length=10,
        choices=Access,
        default=Access.FREE,
        help_text=_(
            "“Link sent by email” asks for an address and emails the download link to it, "
            "which confirms the address."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("downloadable resource")
        verbose_name_plural = _("downloadable resources")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("downloads:resource", kwargs={"pk": self.pk})

    @property
    def needs_email(self) -> bool:
        return self.access == self.Access.EMAIL


class DownloadRequest(models.Model):
    """An address that asked for an email-gated resource, with the consent it was given under."""

    resource = models.ForeignKey(Resource, models.CASCADE, related_name="requests")
    email = models.EmailField(_("email"))
    consent_text = models.TextField(_("consent given"))
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    confirmed_at = models.DateTimeField(
        _("confirmed"), null=True, blank=True, help_text=_("When the emailed link was first used.")
    )

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("download request")
        verbose_name_plural = _("download requests")
        constraints = [
            models.UniqueConstraint(
                "resource", Lower("email"), name="one_download_request_per_email"
            )
        ]
        indexes = [models.Index(Lower("email"), name="download_request_email")]

    def __str__(self):
        return f"{self.email} → {self.resource}"
