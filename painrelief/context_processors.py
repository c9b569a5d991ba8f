from django.conf import settings


def site(request):
    """The site's name and whether reCAPTCHA is on, for the base layout and the privacy page."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "RECAPTCHA_ENABLED": settings.RECAPTCHA_ENABLED,
        "AKISMET_ENABLED": bool(settings.AKISMET_API_KEY),
        "canonical_url": canonical_url(request),
    }


def canonical_url(request) -> str:
    """This page's address without tracking or sorting parameters; a page number is kept."""
    page = request.GET.get("page", "")
    query = f"?page={page}" if page.isdigit() and page != "1" else ""
    return request.build_absolute_uri(request.path) + query
