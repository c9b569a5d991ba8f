"""Downloadable reports: free ones at once, email-gated ones through a link sent by email."""

import re
import smtplib
from unittest import mock

import pytest
from django.core import mail, signing
from django.urls import reverse

from painrelief.downloads import emails, services
from painrelief.downloads.models import DownloadRequest, Resource
from painrelief.mail import outbox
from painrelief.mail.models import OutgoingEmail
from tests.factories import ArticleFactory, coach
from tests.html import TagCollector

from .conftest import PDF, form_stamp, make_resource

pytestmark = pytest.mark.django_db


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


def test_an_email_gated_report_is_emailed_with_a_link_that_confirms_the_address(client, ask):
    resource = make_resource()
    article = ArticleFactory(resource=resource)
    assert 'name="consent"' in client.get(article.get_absolute_url()).text

    response = ask(resource, email="Maria@Example.org", consent="on")

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
        posting = [
            f
            for f in forms
            if f["method"] == "post"
            and not {"comment-form", "subscribe-box"} & set(f.get("class", "").split())
        ]
        assert [f.get("action") for f in posting] == [resource.get_absolute_url()]


def test_an_article_page_with_the_form_and_comments_has_no_id_twice(client):
    """Each label then points at its own field: the download form's email is not the comment's."""
    article = ArticleFactory(resource=make_resource())

    elements = TagCollector(client.get(article.get_absolute_url()).text).elements
    ids = [attrs["id"] for _tag, attrs in elements if "id" in attrs]

    assert "id_email" in ids  # the comment form's
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_consent_is_required_and_the_typed_address_is_kept(ask):
    resource = make_resource()

    response = ask(resource, email="maria@example.org")

    assert response.status_code == 400
    assert "Please tick the box so we may email you the link." in response.text
    assert 'value="maria@example.org"' in response.text
    assert not DownloadRequest.objects.exists() and not mail.outbox


def test_asking_again_soon_sends_no_second_email_and_a_flood_from_one_address_is_stopped(ask):
    resource = make_resource()
    ask(resource, email="maria@example.org", consent="on")
    ask(resource, email="MARIA@example.org", consent="on")
    assert len(mail.outbox) == 1 and DownloadRequest.objects.count() == 1

    for n in range(services.EMAILS_PER_IP_PER_HOUR):
        response = ask(resource, email=f"victim{n}@example.org", consent="on")

    assert response.status_code == 429 and "Too many requests" in response.text
    assert f'value="victim{n}@example.org"' in response.text


def test_the_form_carries_the_spam_defences_honeypot_and_stamp(client):
    resource = make_resource()
    article = ArticleFactory(resource=resource)

    # The article page is the cached copy every visitor shares: its stamp comes after loading.
    for url, stamped in ((resource.get_absolute_url(), True), (article.get_absolute_url(), False)):
        fields = {
            attrs.get("name"): attrs
            for tag, attrs in TagCollector(client.get(url).text).elements
            if tag == "input"
        }
        assert fields["homepage"]["tabindex"] == "-1"
        assert fields["form_stamp"]["type"] == "hidden"
        assert bool(fields["form_stamp"].get("value")) == stamped


@pytest.mark.parametrize(
    "robot",
    [
        {"homepage": "https://cheap-pills.example"},
        {"form_stamp": ""},
        {"form_stamp": "forged"},
    ],
    ids=["honeypot filled", "no form stamp", "forged form stamp"],
)
def test_a_robots_request_gets_the_same_page_but_no_email_and_is_not_kept(ask, robot):
    resource = make_resource()

    response = ask(resource, email="victim@example.org", consent="on", **robot)

    assert response.status_code == 200 and "Check your inbox" in response.text
    assert "victim@example.org" in response.text
    assert not mail.outbox and not DownloadRequest.objects.exists()


@pytest.mark.parametrize(
    "seconds_ago", [0.5, 100 * 3600], ids=["sent too fast", "form open for days"]
)
def test_a_request_the_defence_would_hold_is_still_emailed(ask, seconds_ago):
    """No moderator releases a download request: the emailed link itself confirms a person."""
    resource = make_resource()

    ask(resource, email="maria@example.org", consent="on", form_stamp=form_stamp(seconds_ago))

    [message] = mail.outbox
    assert message.to == ["maria@example.org"] and DownloadRequest.objects.count() == 1


def test_the_email_is_sent_after_the_commit_with_links_under_the_site_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://painrelief.example"
    resource = make_resource()
    url = reverse("downloads:resource", kwargs={"pk": resource.pk})

    with django_capture_on_commit_callbacks() as after_commit:
        response = client.post(
            url, {"email": "maria@example.org", "consent": "on", "form_stamp": form_stamp()}
        )
        assert "Check your inbox" in response.text and not mail.outbox
    for callback in after_commit:
        callback()

    [message] = mail.outbox
    assert "https://painrelief.example/articles/downloads/link/" in message.body
    assert "https://painrelief.example/articles/downloads/forget/" in message.body
    assert "testserver" not in message.body


class BrokenMailer:
    """A mail backend whose server hangs up on every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("the mail server is down")


def test_a_mail_server_failure_is_retried_and_asking_again_sends_nothing_twice(
    ask, settings, caplog
):
    resource = make_resource()
    working = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "tests.downloads.test_downloads.BrokenMailer"}}

    response = ask(resource, email="maria@example.org", consent="on")

    assert "Check your inbox" in response.text
    assert DownloadRequest.objects.filter(email="maria@example.org").exists()
    (waiting,) = OutgoingEmail.objects.all()
    assert waiting.status == "waiting" and "the mail server is down" in waiting.last_error
    assert any("not sent (attempt 1)" in record.getMessage() for record in caplog.records)
    settings.MAILERS = working

    ask(resource, email="maria@example.org", consent="on")
    assert not mail.outbox  # the first email is still on its way
    outbox.deliver_due(now=waiting.next_attempt_at)

    assert [message.to for message in mail.outbox] == [["maria@example.org"]]
    assert DownloadRequest.objects.count() == 1


def test_links_emailed_before_downloads_had_its_own_app_still_work(client):
    """Those links carry /articles/downloads/ and tokens signed under the articles salts."""
    resource = make_resource()
    DownloadRequest.objects.create(resource=resource, email="maria@example.org", consent_text="ok")
    download = signing.dumps({"r": resource.pk, "e": "maria@example.org"}, salt="articles.download")
    forget = signing.dumps("maria@example.org", salt="articles.forget")

    response = client.get(f"/articles/downloads/link/{download}/")
    assert b"".join(response.streaming_content) == PDF
    assert "maria@example.org" in client.get(f"/articles/downloads/forget/{forget}/").text


def test_a_tampered_or_expired_link_sends_nothing(client, ask):
    resource = make_resource()
    ask(resource, email="maria@example.org", consent="on")
    link = link_in(mail.outbox[0], "link")

    tampered = client.get(link.replace("/link/", "/link/x"))
    with mock.patch.object(emails, "DOWNLOAD_LINK_MAX_AGE", -1):
        expired = client.get(link)

    assert tampered.status_code == 410 and expired.status_code == 410
    assert "This download link has expired" in expired.text


def test_every_download_email_lets_the_reader_be_forgotten(client, ask):
    first, second = make_resource(), make_resource()
    ask(first, email="maria@example.org", consent="on")
    ask(second, email="Maria@example.org", consent="on")
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
    download_request = DownloadRequest.objects.create(
        resource=make_resource(), email="maria@example.org", consent_text="ok"
    )
    forget = emails.forget_token(download_request)
    with pytest.raises(signing.BadSignature):
        signing.loads(forget, salt=emails.DOWNLOAD_SALT)


def test_the_article_form_finds_reports_by_title_in_a_stable_order(client):
    """The "offered download" autocomplete pages through reports ordered by title (the request
    counts' GROUP BY drops Meta.ordering, so the admin orders explicitly)."""
    for title in ("Shoulder routine", "Neck routine", "Back routine"):
        Resource.objects.create(title=title, file="resources/x.pdf")
    client.force_login(coach())

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "resource"},
    )

    assert response.status_code == 200
    titles = [result["text"] for result in response.json()["results"]]
    assert titles == ["Back routine", "Neck routine", "Shoulder routine"]


def test_the_coach_edits_a_report_whose_file_has_no_public_address(client):
    resource = make_resource()
    client.force_login(coach())

    page = client.get(reverse("admin:downloads_resource_change", args=[resource.pk]))

    assert page.status_code == 200
    assert resource.file.name in page.text and "sent only through the site" in page.text
