"""The client's IP address, read one way: REMOTE_ADDR, or behind trusted proxies from the
right of X-Forwarded-For; what a client writes into that header is never believed."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from painrelief.client_ip import client_ip
from painrelief.comments.models import Comment
from tests.comments.conftest import form_stamp
from tests.factories import PASSWORD, ArticleFactory, UserFactory

PROXY = "10.0.0.5"


def request_from(remote="203.0.113.7", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.7", None, "203.0.113.7"),
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # no proxy: the header is a lie
        (1, PROXY, "198.51.100.1", "198.51.100.1"),
        (1, PROXY, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own entry: ignored
        (2, PROXY, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (2, PROXY, "198.51.100.1", PROXY),  # fewer entries than proxies: it bypassed them
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, "2001:DB8::1", "2001:db8::1"),
        (1, PROXY, "", PROXY),
    ],
)
def test_the_client_address_behind_proxies(settings, proxies, remote, forwarded, expected):
    settings.PROXY_COUNT = proxies

    assert client_ip(request_from(remote, forwarded)) == expected


@pytest.mark.django_db
def test_behind_a_proxy_each_reader_has_their_own_address_and_rate_limit(client, settings):
    """Readers behind the TLS proxy are not one person sending too many comments."""
    settings.PROXY_COUNT = 1
    settings.SPAM_RATE_LIMIT_PER_HOUR = 2
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = False
    article = ArticleFactory()
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})
    for n in range(4):
        client.post(
            url,
            {
                "name": f"Reader {n}",
                "email": f"reader{n}@example.net",
                "body": f"Thank you, the heat pack helped my neck, day {n}.",
                "form_stamp": form_stamp(),
            },
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}",
        )

    comments = Comment.objects.order_by("pk")
    assert [c.ip_address for c in comments] == [f"198.51.100.{n + 1}" for n in range(4)]
    assert not any("rate" in c.reason_codes.split() for c in comments)


@pytest.mark.django_db
def test_login_throttling_counts_per_reader_behind_a_proxy(client, settings):
    settings.PROXY_COUNT = 1
    UserFactory(email="tomas@example.org")
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            url,
            {"username": "tomas@example.org", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="6.6.6.6",
        )

    from_the_attacker = client.post(
        url,
        {"username": "tomas@example.org", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="6.6.6.6",
    )
    from_tomas = client.post(
        url,
        {"username": "tomas@example.org", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )

    assert from_the_attacker.status_code == 429
    assert from_tomas.status_code == 302
