"""The site's own address, for links made outside a page: emails, sent by tasks after a commit."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (from reverse() or get_absolute_url()) as a full address under SITE_URL."""
    return settings.SITE_URL + path
