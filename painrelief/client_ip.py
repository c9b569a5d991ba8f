"""The client's IP address: the one way the site reads it, behind however many proxies.

Every use goes through `client_ip()`: the spam defence's layers and the addresses it stores,
download limits, and django-axes' login throttling (AXES_CLIENT_IP_CALLABLE).
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR; behind PROXY_COUNT trusted proxies, the address the outermost one saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so behind
    N proxies the client's address is the N-th from the right; whatever stands left of it was
    written by the client and is ignored. Without proxies the header is ignored altogether, and
    a header with fewer entries than proxies (a request that bypassed them) is not believed.
    """
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < proxies:
        return remote
    return _valid(forwarded[-proxies]) or remote


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None
