"""The spam defence's part of every public form: a honeypot, a signed time stamp, reCAPTCHA.

The stamp is also what makes a submission idempotent: each rendered form has its own, so the
same text sent twice with it (a double click, a reload, a retry) is one submission.
"""

import hashlib
import secrets
import time
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.forms.utils import ErrorList
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrelief.client_ip import client_ip
from painrelief.text import query_text

from .defence import Context

STAMP_SALT = "spam.form-stamp"
HONEYPOT = "homepage"  # a name form-filling robots like to fill


class HoneypotInput(forms.TextInput):
    """A text box people never see (moved off screen, hidden from screen readers).

    It reports itself hidden, so form templates (crispy's included) render it without a label
    or a wrapper of their own.
    """

    template_name = "spam/honeypot.html"

    def __init__(self, attrs=None):
        super().__init__({"tabindex": "-1", "autocomplete": "off", **(attrs or {})})

    @property
    def is_hidden(self):
        return True


def new_stamp() -> str:
    """When the form was shown, and a nonce that tells this form from every other."""
    return signing.dumps([time.time(), secrets.token_hex(8)], salt=STAMP_SALT)


def seconds_since(stamp: str) -> float | None:
    """Seconds since the form carrying `stamp` was shown; None when it is missing or forged."""
    try:
        value = signing.loads(stamp, salt=STAMP_SALT)
        shown_at = float(value[0] if isinstance(value, list) else value)
    except (signing.BadSignature, TypeError, ValueError, IndexError):
        return None
    return max(time.time() - shown_at, 0.0)


class SpamGuardMixin:
    """Adds the spam defence's fields to a form; `spam_context()` then tells how it was sent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT] = forms.CharField(
            label=_("Leave this field empty"), required=False, widget=HoneypotInput
        )
        self.fields["form_stamp"] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=new_stamp
        )
        if settings.RECAPTCHA_ENABLED:
            from .captcha import CaptchaField

            self.fields["captcha"] = CaptchaField()

    def clean(self):
        # The captcha widget is a hidden input, whose errors forms do not show next to it:
        # report them at the top of the form instead.
        cleaned_data = super().clean()
        for error in self._errors.pop("captcha", ErrorList()).as_data():
            self.add_error(None, error)
        return cleaned_data

    def stamp_in_browser(self) -> None:
        """This form goes into the page that every visitor shares: it leaves its stamp empty,
        and each browser fetches a stamp of its own (with its CSRF token) after loading."""
        self.fields["form_stamp"].initial = ""

    def submission_key(self, *content: str) -> str | None:
        """The same for the same content sent from the same rendered form, else different.

        None without a valid stamp: such a submission cannot be told from a new one.
        """
        stamp = self.data.get(self.add_prefix("form_stamp"), "")
        if seconds_since(stamp) is None:
            return None
        digest = hashlib.sha256(stamp.encode())
        for part in content:
            digest.update(b"\0" + part.encode())
        return digest.hexdigest()[:40]

    def shown_at(self) -> datetime | None:
        """When the form sent was shown, by its stamp; None without a valid stamp."""
        seconds = seconds_since(self.data.get(self.add_prefix("form_stamp"), ""))
        return None if seconds is None else timezone.now() - timedelta(seconds=seconds)

    def spam_context(self, request, *, kind: str, proven_guest: bool = False) -> Context:
        """How this form was sent; `kind` names the defence's policy (defence.POLICIES)."""
        captcha_field = self.fields.get("captcha")
        return Context(
            kind=kind,
            ip=client_ip(request),
            user_agent=query_text(request.headers.get("User-Agent", ""))[:300],
            honeypot=self.data.get(self.add_prefix(HONEYPOT), ""),
            seconds_to_submit=seconds_since(self.data.get(self.add_prefix("form_stamp"), "")),
            captcha=getattr(captcha_field, "result", None),
            # Trust is bound to a confirmed address: an account that has not opened its
            # confirmation link is a stranger to the defence.
            signed_in=getattr(request.user, "email_confirmed_at", None) is not None,
            proven_guest=proven_guest,
        )
