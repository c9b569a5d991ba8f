from django.conf import settings


def site(request):
    """The site's name and whether reCAPTCHA is on, for the base layout and the privacy page."""
    return {"SITE_NAME": settings.SITE_NAME, "RECAPTCHA_ENABLED": settings.RECAPTCHA_ENABLED}
