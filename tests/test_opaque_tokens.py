"""The signed tokens in emailed links carry ids, never a readable email address: URL paths
end up in browsers' histories and in every proxy's and server's access log."""

import zlib

import pytest
from django.core import signing
from django.urls import reverse

from painrelief.comments import links as comment_links
from painrelief.downloads import emails as download_emails
from painrelief.downloads.models import DownloadRequest
from questions import links as question_links
from tests.downloads.conftest import make_resource
from tests.factories import CommentFactory, QuestionFactory

pytestmark = pytest.mark.django_db

EMAIL = "Maria.Example@example.net"


def readable(token: str) -> str:
    """What anybody reading a log can decode from a signed token (its payload is base64)."""
    payload = token.split(":")[0]
    data = signing.b64_decode(payload.lstrip(".").encode())
    return (zlib.decompress(data) if payload.startswith(".") else data).decode().lower()


def tokens_of_every_kind() -> dict[str, str]:
    download_request = DownloadRequest.objects.create(
        resource=make_resource(), email=EMAIL, consent_text="ok"
    )
    comment = CommentFactory(email=EMAIL)
    return {
        "download": download_emails.download_token(download_request),
        "forget": download_emails.forget_token(download_request),
        "manage": comment_links.manage_token(comment),
        "unsubscribe": comment_links.unsubscribe_token(comment),
        "private": question_links.private_token(QuestionFactory(email=EMAIL)),
    }


def test_no_token_carries_the_address():
    for kind, token in tokens_of_every_kind().items():
        decoded = readable(token)
        assert "maria" not in decoded and "example.net" not in decoded, kind


def test_the_opaque_tokens_open_what_they_were_made_for(client):
    tokens = tokens_of_every_kind()

    assert EMAIL in client.get(reverse("downloads:forget-email", args=[tokens["forget"]])).text
    assert client.get(reverse("downloads:download", args=[tokens["download"]])).status_code == 200
    assert client.get(reverse("comments:manage", args=[tokens["manage"]])).status_code == 200


def test_a_guests_key_stops_working_when_the_comments_address_changes(client):
    comment = CommentFactory(email=EMAIL)
    url = reverse("comments:manage", args=[comment_links.manage_token(comment)])
    comment.email = "someone.else@example.net"
    comment.save()

    assert client.get(url).status_code == 404


def test_manage_keys_emailed_before_still_work(client):
    """Those carried the address; they never expire, so they are honoured."""
    comment = CommentFactory(email=EMAIL)
    old = signing.dumps({"c": comment.pk, "e": EMAIL.lower()}, salt=comment_links.MANAGE_SALT)

    assert client.get(reverse("comments:manage", args=[old])).status_code == 200


def test_a_forget_link_for_another_address_under_a_reused_id_opens_nothing(client):
    """The token carries a keyed hash of its address, not only the request's id."""
    first = DownloadRequest.objects.create(resource=make_resource(), email=EMAIL, consent_text="x")
    token = download_emails.forget_token(first)
    pk = first.pk
    first.delete()
    DownloadRequest.objects.create(
        pk=pk, resource=make_resource(), email="other@example.org", consent_text="x"
    )

    assert client.get(reverse("downloads:forget-email", args=[token])).status_code == 404
