"""django-recaptcha's field, imported only when reCAPTCHA keys are configured."""

from urllib.error import URLError

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_recaptcha.fields import ReCaptchaField


class CaptchaField(ReCaptchaField):
    """ReCaptchaField that reports an unreachable Google as a form error, not a server error."""

    def validate(self, value):
        try:
            super().validate(value)
        except URLError:
            raise ValidationError(
                _("We could not reach the anti-spam check just now. Please try again."),
                code="captcha_unavailable",
            ) from None
