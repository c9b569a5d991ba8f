"""A visitor asks for an email-gated report from an article, opens the emailed link, and later
has the address forgotten."""

import re

import pytest
from playwright.sync_api import expect

from painrelief.downloads.models import DownloadRequest
from tests.browser.conftest import assert_accessible
from tests.downloads.conftest import PDF, make_resource
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_visitor_gets_the_report_by_email_and_then_has_the_address_forgotten(page, mailoutbox):
    article = ArticleFactory(resource=make_resource())

    page.goto(article.get_absolute_url())
    offer = page.locator("form.download-form")
    offer.get_by_label("Your email").fill("maria@example.org")
    offer.get_by_role("checkbox").check()
    assert_accessible(page)
    # Sent within a second of the page showing: the defence would hold it; it is emailed anyway.
    offer.get_by_role("button", name="Email me the link").click()

    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("maria@example.org")
    [message] = mailoutbox
    link = re.search(r"http://\S+/articles/downloads/link/\S+/", message.body).group()
    forget = re.search(r"http://\S+/articles/downloads/forget/\S+/", message.body).group()

    with page.expect_download() as download:
        page.evaluate("url => { window.location.href = url; }", link)
    with open(download.value.path(), "rb") as report:
        assert report.read() == PDF
    assert DownloadRequest.objects.get().confirmed_at is not None

    page.goto(forget)
    assert_accessible(page)
    page.get_by_role("button", name="Delete my address").click()

    expect(page.get_by_text("maria@example.org has been deleted")).to_be_visible()
    assert not DownloadRequest.objects.exists()


def test_a_form_error_keeps_the_typed_address(page):
    resource = make_resource()

    page.goto(resource.get_absolute_url())
    form = page.locator("form.download-form")  # the footer has its own "Your email"
    form.get_by_label("Your email").fill("maria@example.org")
    form.get_by_role("button", name="Email me the link").click()

    tick = "Please tick the box so we may email you the link."
    expect(page.get_by_role("alert").get_by_role("link", name=tick)).to_be_visible()
    expect(form.locator(".invalid-feedback", has_text=tick)).to_be_visible()
    expect(form.get_by_label("Your email")).to_have_value("maria@example.org")
    assert_accessible(page)
