"""The form that asks for an email-gated report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from painrelief.spam.forms import SpamGuardMixin
from painrelief.text import IntactTextMixin

from .services import consent_text


class DownloadRequestForm(IntactTextMixin, SpamGuardMixin, forms.Form):
    """The address an email-gated report is sent to, with its own, explicit consent.

    The spam defence's fields come with it (honeypot, form stamp, reCAPTCHA when configured).
    """

    email = forms.EmailField(label=_("Your email"), max_length=254)
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Please tick the box so we may email you the link.")},
    )

    def __init__(self, *args, resource, **kwargs):
        # Its own ids: an article page also carries the comment form, with an email field too.
        kwargs.setdefault("auto_id", "download-%s")
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.fields["consent"].label = consent_text(resource)
