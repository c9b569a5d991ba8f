"""Downloadable reports: free ones at once, email-gated ones through a link sent by email."""

import re
import smtplib
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.files.base import ContentFile
from django.urls import reverse

from painrelief.downloads import services
from painrelief.downloads.models import DownloadRequest, Resource
from tests.factories import ArticleFactory, coach
from tests.html import TagCollector

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 the 10-minute knot release routine"


def make_resource(access=Resource.Access.EMAIL):
    resource = Resource(title="The 10-minute knot release routine", access=access)
    resource.file.save("knot-routine.pdf", ContentFile(PDF), save=True)
    return resource


def ask(client, resource, **data):
    return client.post(reverse("downloads:resource", kwargs={"pk": resource.pk}), data)


def link_in(message, name):
    return re.search(
        rf"https?://testserver(/articles/downloads/{name}/[^\s]+/)", message.body
    ).group(1)


def test_a_free_report_downloads_at_once_from_the_article(client):
    resource = make_resource(Resource.Access.FREE)
    article = ArticleFactory(resource=resource)

    page = client.get(article.get_absolute_url()).text
    download = client.get(resource.get_absolute_url())

    assert "Download the free report: The 10-minute knot release routine" in page
    assert b"".join(download.streaming_content) == PDF
    assert download.headers["Content-Disposition"] == 'attachment; filename="knot-routine.pdf"'


def test_report_files_are_kept_outside_the_public_media_folder(settings, client):
    resource = make_resource()

    assert not resource.file.path.startswith(str(settings.MEDIA_ROOT))
    assert client.get(f"/media/{resource.file.name}").status_code == 404
    with pytest.raises(ValueError, match="no public address"):
        resource.file.url  # noqa: B018


def test_an_email_gated_report_is_emailed_with_a_link_that_confirms_the_address(client):
    resource = make_resource()
    article = ArticleFactory(resource=resource)
    assert 'name="consent"' in client.get(article.get_absolute_url()).text

    response = ask(client, resource, email="Maria@Example.org", consent="on")

    assert "Check your inbox" in response.text
    [message] = mail.outbox
    assert message.to == ["Maria@Example.org"] and PDF.decode() not in message.body
    request = DownloadRequest.objects.get()
    assert (
        request.confirmed_at is None and "not used for comments, questions" in request.consent_text
    )

    download = client.get(link_in(message, "link"))

    assert b"".join(download.streaming_content) == PDF
    request.refresh_from_db()
    assert request.confirmed_at is not None


def test_the_download_form_is_one_form_that_its_button_submits(client):
    """No form inside the form: a browser would end it early and leave the button outside."""
    resource = make_resource()
    article = ArticleFactory(resource=resource)

    for url in (resource.get_absolute_url(), article.get_absolute_url()):
        forms = [a for tag, a in TagCollector(client.get(url).text).elements if tag == "form"]
        posting = [f for f in forms if f["method"] == "post" and "comment-form" not in str(f)]
        assert [f.get("action") for f in posting] == [resource.get_absolute_url()]


def test_consent_is_required_and_the_typed_address_is_kept(client):
    resource = make_resource()

    response = ask(client, resource, email="maria@example.org")

    assert response.status_code == 400
    assert "Please tick the box so we may email you the link." in response.text
    assert 'value="maria@example.org"' in response.text
    assert not DownloadRequest.objects.exists() and not mail.outbox


def test_a_mail_server_failure_is_explained_and_nothing_is_lost(client):
    resource = make_resource()
    with mock.patch(
        "painrelief.downloads.services.send_mail",
        side_effect=smtplib.SMTPServerDisconnected("down"),
    ):
        response = ask(client, resource, email="maria@example.org", consent="on")

    assert "We could not send the email just now" in response.text
    assert 'value="maria@example.org"' in response.text
    assert DownloadRequest.objects.filter(email="maria@example.org").exists()

    ask(client, resource, email="maria@example.org", consent="on")  # the retry sends the email

    assert len(mail.outbox) == 1 and DownloadRequest.objects.count() == 1


def test_asking_again_soon_sends_no_second_email_and_a_flood_from_one_address_is_stopped(client):
    resource = make_resource()
    ask(client, resource, email="maria@example.org", consent="on")
    ask(client, resource, email="MARIA@example.org", consent="on")
    assert len(mail.outbox) == 1 and DownloadRequest.objects.count() == 1

    for n in range(services.EMAILS_PER_IP_PER_HOUR):
        response = ask(client, resource, email=f"victim{n}@example.org", consent="on")

    assert "Too many requests" in response.text


def test_a_tampered_or_expired_link_sends_nothing(client):
    resource = make_resource()
    ask(client, resource, email="maria@example.org", consent="on")
    link = link_in(mail.outbox[0], "link")

    tampered = client.get(link.replace("/link/", "/link/x"))
    with mock.patch.object(services, "DOWNLOAD_LINK_MAX_AGE", -1):
        expired = client.get(link)

    assert tampered.status_code == 410 and expired.status_code == 410
    assert "This download link has expired" in expired.text


def test_every_download_email_lets_the_reader_be_forgotten(client):
    first, second = make_resource(), make_resource()
    ask(client, first, email="maria@example.org", consent="on")
    ask(client, second, email="Maria@example.org", consent="on")
    DownloadRequest.objects.create(resource=first, email="someone@example.org", consent_text="x")
    forget = link_in(mail.outbox[0], "forget")

    confirm = client.get(forget)
    assert "maria@example.org" in confirm.text and DownloadRequest.objects.count() == 3

    client.post(forget)

    assert list(DownloadRequest.objects.values_list("email", flat=True)) == ["someone@example.org"]
    assert client.get(forget.replace("forget/", "forget/x")).status_code == 404


def test_the_coach_exports_the_addresses_as_csv_with_formulas_defused(client):
    resource = make_resource()
    DownloadRequest.objects.create(resource=resource, email="maria@example.org", consent_text="ok")
    DownloadRequest.objects.create(resource=resource, email="=cmd@example.org", consent_text="ok")
    client.force_login(coach())

    response = client.post(
        reverse("admin:downloads_downloadrequest_changelist"),
        {
            "action": "export_csv",
            "_selected_action": DownloadRequest.objects.values_list("pk", flat=True),
        },
    )

    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "email,resource,requested_at,confirmed_at,consent"
    assert any(line.startswith("maria@example.org,The 10-minute") for line in lines)
    assert any(line.startswith("'=cmd@example.org") for line in lines)


def test_signed_tokens_are_bound_to_their_purpose():
    """A "forget me" token cannot be replayed as a download link, nor the reverse."""
    forget = services.forget_token("maria@example.org")
    with pytest.raises(signing.BadSignature):
        signing.loads(forget, salt=services.DOWNLOAD_SALT)
