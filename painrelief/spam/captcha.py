"""django-recaptcha's field, imported only when reCAPTCHA keys are configured.

Its verdict is a signal for the spam defence, not a wall: an unreachable Google or a low v3
score holds the submission for a moderator instead of losing it. Only a v2 checkbox that was
not ticked is a form error, which the person can fix without retyping anything.
"""

from urllib.error import URLError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_recaptcha import client
from django_recaptcha.fields import ReCaptchaField
from django_recaptcha.widgets import ReCaptchaV2Checkbox, ReCaptchaV3

from .defence import Captcha


class CaptchaField(ReCaptchaField):
    def __init__(self, **kwargs):
        v3 = settings.RECAPTCHA_VERSION == "v3"
        super().__init__(
            label=_("Please confirm you are human"),
            widget=ReCaptchaV3(action="submit") if v3 else ReCaptchaV2Checkbox(),
            required=not v3,
            error_messages={"required": _("Please tick “I'm not a robot”.")},
            **kwargs,
        )
        self.result: Captcha | None = None

    def validate(self, value):
        if not value and settings.RECAPTCHA_VERSION == "v3":
            self.result = Captcha(passed=False)  # no token: the script did not run
            return
        super(ReCaptchaField, self).validate(value)  # "required"
        try:
            response = client.submit(
                recaptcha_response=value,
                private_key=self.private_key,
                remoteip=self.get_remote_ip(),
            )
        except (URLError, OSError):  # HTTPError included: Google unreachable or failing
            self.result = Captcha(unavailable=True)
            return
        if settings.RECAPTCHA_VERSION == "v3":
            score = float(response.extra_data.get("score", 0)) if response.is_valid else 0.0
            self.result = Captcha(passed=response.is_valid, score=score)
            return
        if not response.is_valid:
            raise ValidationError(
                _("The “I'm not a robot” check did not pass; please tick it again."),
                code="captcha_invalid",
            )
        self.result = Captcha(passed=True)
