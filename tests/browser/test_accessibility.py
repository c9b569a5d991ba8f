"""What screen-reader and touch users need beyond axe's rules (issue 15, item 8): form errors
in an alert with focus moved to them, flash messages announced, tap targets of 24 px."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, QuestionFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_refused_log_in_says_why_in_an_alert_that_takes_focus(page):
    UserFactory(email="nora@example.org")
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("nora@example.org")
    page.locator("#id_password").fill("not her password")
    page.get_by_role("button", name="Log in").click()

    alert = page.get_by_role("alert").filter(has_text="Please correct what is marked below.")
    expect(alert).to_contain_text("do not match an account")
    expect(alert).to_be_focused()


def test_a_field_error_is_linked_from_the_alert_and_its_field_takes_focus(page):
    reader = UserFactory(display_name="Nora")
    log_in(page, reader.email, PASSWORD)
    page.goto("/accounts/profile/")
    page.get_by_label("Display name").fill("")
    page.get_by_role("button", name="Save my profile").click()

    alert = page.get_by_role("alert").filter(has_text="Please correct what is marked below.")
    expect(alert.get_by_role("link")).to_have_attribute("href", "#id_display_name")
    expect(page.get_by_label("Display name")).to_be_focused()


def test_flash_messages_arrive_in_a_live_region_after_the_page_loads(page):
    reader = UserFactory(display_name="Nora")
    log_in(page, reader.email, PASSWORD)
    page.goto("/accounts/profile/")
    page.get_by_label("Display name").fill("Nora B.")
    page.get_by_role("button", name="Save my profile").click()

    region = page.locator(".messages[aria-live='polite']")
    expect(region.locator(".alert")).to_have_count(1)
    expect(region).to_have_attribute("role", "status")
    expect(region).not_to_be_empty()


def test_the_question_lists_area_filter_has_tap_targets_of_24_pixels(page):
    QuestionFactory(public=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/questions/")

    links = page.get_by_role("navigation", name="Filter by where it hurts").get_by_role("link")
    expect(links.first).to_be_visible()
    for box in (links.nth(n).bounding_box() for n in range(links.count())):
        assert box["height"] >= 24 and box["width"] >= 24, box
