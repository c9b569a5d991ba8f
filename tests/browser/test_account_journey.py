import re

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory, coach

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "ruth@example.org"
FIRST_PASSWORD = "knots-between-shoulder-blades-1"
NEW_PASSWORD = "loosened-up-at-last-2"


def log_in(page, email, password, url="/accounts/login/"):
    page.goto(url)
    page.get_by_label(re.compile("Email address|Email")).fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_reader_signs_up_logs_out_and_in_resets_password_and_edits_profile(page, tmp_path):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Display name").fill("Ruth")
    page.get_by_label(re.compile(r"^\s*Password\s*\*?\s*$")).fill(FIRST_PASSWORD)
    page.get_by_label("Password confirmation").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_text("Welcome, Ruth! Your account is ready.")).to_be_visible()
    expect(page).to_have_url("/accounts/profile/")
    log_out(page)

    log_in(page, EMAIL, FIRST_PASSWORD)
    expect(page.get_by_role("navigation", name="Main").get_by_text("Ruth")).to_be_visible()
    log_out(page)

    page.get_by_role("link", name="Log in").click()
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_label(re.compile(r"^\s*New password\s*\*?\s*$")).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()

    log_in(page, EMAIL, NEW_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ruth").click()
    avatar = tmp_path / "me.png"
    Image.new("RGB", (640, 480), (40, 120, 160)).save(avatar)
    page.get_by_label("Display name").fill("Ruth Lindqvist")
    page.get_by_label("New avatar").set_input_files(avatar)
    page.get_by_role("button", name="Save my profile").click()

    expect(page.get_by_text("Your profile has been saved.")).to_be_visible()
    header_link = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Ruth Lindqvist"
    )
    expect(header_link).to_be_visible()
    header_avatar = header_link.locator("img.avatar")
    expect(header_avatar).to_be_visible()
    assert header_avatar.evaluate("img => img.naturalWidth") == 64


def test_signup_error_keeps_what_the_reader_typed(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Display name").fill("Ruth")
    page.get_by_label(re.compile(r"^\s*Password\s*\*?\s*$")).fill(FIRST_PASSWORD)
    page.get_by_label("Password confirmation").fill("something-else-entirely")
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_text("The two password fields didn’t match.")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value(EMAIL)
    expect(page.get_by_label("Display name")).to_have_value("Ruth")


def test_five_wrong_passwords_lock_the_login_even_with_the_right_one(page, settings):
    UserFactory(email=EMAIL)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(page, EMAIL, "wrong-password")

    log_in(page, EMAIL, PASSWORD)

    expect(page.get_by_role("heading", name="Too many failed log-in attempts")).to_be_visible()


def test_coach_logs_in_to_the_branded_admin(page, settings):
    user = coach()
    page.goto("/admin/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("link", name=f"{settings.SITE_NAME} administration")).to_be_visible()
    expect(page.get_by_role("link", name="Users")).to_be_visible()
