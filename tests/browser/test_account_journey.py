import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from painrelief.comments.models import Comment
from tests.browser.conftest import assert_accessible, log_in, log_out, submit_login_form
from tests.factories import PASSWORD, ArticleFactory, CommentFactory, UserFactory, coach

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "ruth@example.org"
FIRST_PASSWORD = "knots-between-shoulder-blades-1"
NEW_PASSWORD = "loosened-up-at-last-2"
# Crispy forms append "*" to required fields' labels; "Password confirmation*" must not match.
PASSWORD_LABEL = re.compile(r"^\s*Password\s*\*?\s*$")
NEW_PASSWORD_LABEL = re.compile(r"^\s*New password\s*\*?\s*$")
WRONG_LOGIN = "That email address and password do not match an account."


def test_reader_signs_up_logs_in_and_out_resets_password_and_edits_profile(
    page, mailoutbox, tmp_path
):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Display name").fill("Ruth")
    page.get_by_label(PASSWORD_LABEL).fill(FIRST_PASSWORD)
    page.get_by_label("Password confirmation").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    confirm_by_the_emailed_link(page, mailoutbox.pop())
    expect(page).to_have_url("/accounts/profile/")
    header = page.get_by_role("navigation", name="Main")
    expect(header.get_by_role("link", name="Ruth")).to_be_visible()
    log_out(page)

    log_in(page, EMAIL, FIRST_PASSWORD)
    expect(header.get_by_role("link", name="Ruth")).to_be_visible()
    log_out(page)

    # Forgot the password: reset it through the emailed link.
    page.get_by_role("link", name="Log in").click()
    page.get_by_role("link", name="Forgot your password?").click()
    page.locator("main").get_by_label("Email").fill(EMAIL)  # the footer has a subscribe form
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [EMAIL]
    link = re.search(r"https?://\S+/accounts/password/reset/[\w-]+/[\w-]+/", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label(NEW_PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()

    log_in(page, EMAIL, NEW_PASSWORD)
    header.get_by_role("link", name="Ruth").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    avatar = tmp_path / "me.png"
    Image.new("RGB", (640, 480), (40, 120, 160)).save(avatar)
    page.get_by_label("Display name").fill("Ruth Lindqvist")
    page.get_by_label("New avatar").set_input_files(avatar)
    page.get_by_role("button", name="Save my profile").click()

    expect(page.get_by_text("Your profile has been saved.")).to_be_visible()
    expect(page).to_have_url("/accounts/profile/")
    header_link = header.get_by_role("link", name="Ruth Lindqvist")
    expect(header_link).to_be_visible()
    header_avatar = header_link.locator("img")  # alt="": decorative, next to the name
    expect(header_avatar).to_be_visible()
    # The picture really loads (decode() fails on a broken image), as the small square version.
    assert header_avatar.evaluate("async img => (await img.decode(), img.naturalWidth)") == 64
    expect(page.get_by_role("img", name="Your avatar")).to_be_visible()


def confirm_by_the_emailed_link(page, message):
    assert message.to == [EMAIL] and message.subject.startswith("Confirm your email address")
    link = re.search(r"https?://\S+/accounts/confirm/[\w-]+/[\w-]+/", message.body)
    assert link, message.body
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_text("Thank you, Ruth: your address is confirmed.")).to_be_visible()


def sign_up(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Display name").fill("Ruth")
    page.get_by_label(PASSWORD_LABEL).fill(FIRST_PASSWORD)
    page.get_by_label("Password confirmation").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()


def post_comment(page, article, body):
    page.goto(article.get_absolute_url())
    page.get_by_label(re.compile(r"^\s*Comment\s*\*?\s*$")).fill(body)
    page.get_by_role("button", name="Post Comment").click()


def test_a_new_accounts_comments_are_trusted_once_its_address_is_confirmed(
    page, mailoutbox, settings
):
    """Sign up, sign in before confirming (a comment waits like a stranger's), open the
    emailed link, and the next comment is published at once."""
    settings.SPAM_MIN_SECONDS = 0  # the browser types faster than a person
    article = ArticleFactory(title="Knots between the shoulder blades")
    sign_up(page)
    (confirmation,) = mailoutbox
    log_in(page, EMAIL, FIRST_PASSWORD)

    post_comment(page, article, "Does heat help before the stretches?")
    expect(page.get_by_text("Thank you: your comment is awaiting moderation.")).to_be_visible()

    confirm_by_the_emailed_link(page, confirmation)
    post_comment(page, article, "Heat for ten minutes helped me.")
    expect(page.get_by_text("Thank you: your comment is published.")).to_be_visible()
    assert list(Comment.objects.order_by("pk").values_list("status", flat=True)) == [
        "pending",
        "approved",
    ]


def test_signing_up_with_an_address_that_has_an_account_tells_only_its_mailbox(page, mailoutbox):
    UserFactory(email=EMAIL, display_name="Ruth")
    sign_up(page)

    (message,) = mailoutbox
    assert message.subject.startswith("Someone tried to sign up with your address")
    header = page.get_by_role("navigation", name="Main")
    expect(header.get_by_role("link", name="Log in")).to_be_visible()  # not signed in


def test_signup_with_mismatched_passwords_shows_an_error_and_keeps_what_was_typed(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Display name").fill("Ruth")
    page.get_by_label(PASSWORD_LABEL).fill(FIRST_PASSWORD)
    page.get_by_label("Password confirmation").fill("something-else-entirely")
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_text("The two password fields didn’t match.", exact=True)).to_be_visible()
    expect(page).to_have_url("/accounts/signup/")
    expect(page.get_by_label("Email address")).to_have_value(EMAIL)
    expect(page.get_by_label("Display name")).to_have_value("Ruth")
    header = page.get_by_role("navigation", name="Main")
    expect(header.get_by_role("link", name="Log in")).to_be_visible()  # not signed in


def test_five_wrong_passwords_lock_the_login_even_for_the_right_password(page, settings):
    settings.AXES_FAILURE_LIMIT = 5  # the default; LOGIN_FAILURE_LIMIT may change it
    UserFactory(email=EMAIL)
    for _ in range(4):
        submit_login_form(page, EMAIL, "wrong-password")
        expect(page.get_by_text(WRONG_LOGIN)).to_be_visible()
    submit_login_form(page, EMAIL, "wrong-password")
    expect(page.get_by_role("heading", name="Too many failed log-in attempts")).to_be_visible()

    with page.expect_response(
        lambda r: r.url.endswith("/accounts/login/") and r.request.method == "POST"
    ) as response:
        submit_login_form(page, EMAIL, PASSWORD)

    assert response.value.status == 429
    expect(page.get_by_role("heading", name="Too many failed log-in attempts")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_coach_logs_in_to_the_branded_admin_without_csp_violations(page, browser_log):
    user = coach()
    page.goto("/admin/")
    expect(page).to_have_url("/admin/login/?next=/admin/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url("/admin/")
    expect(page.get_by_role("link", name="Pain Relief Coach administration")).to_be_visible()
    expect(
        page.get_by_role("heading", name="The coach's and moderators' workspace")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Users")).to_be_visible()
    assert browser_log.csp_violations == []


CURRENT_PASSWORD = re.compile(r"^\s*Your current password\s*\*?\s*$")


def test_reader_changes_the_email_through_the_link_sent_to_the_new_address(page, mailoutbox):
    UserFactory(email=EMAIL, display_name="Ruth")
    log_in(page, EMAIL)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ruth").click()
    page.get_by_role("link", name="Change your email address").click()
    assert_accessible(page)
    page.get_by_label("New email address").fill("ruth.new@example.net")
    page.get_by_label(CURRENT_PASSWORD).fill(PASSWORD)
    page.get_by_role("button", name="Send the link").click()

    expect(page.get_by_text("We sent a link to ruth.new@example.net")).to_be_visible()
    main = page.locator("main")
    expect(main.get_by_text(f"Your email address ({EMAIL})")).to_be_visible()  # not yet
    (notice,) = [m for m in mailoutbox if m.to == [EMAIL]]
    assert "r***@example.net" in notice.body
    (confirmation,) = [m for m in mailoutbox if m.to == ["ruth.new@example.net"]]
    link = re.search(r"https?://\S+/accounts/email/confirm/[\w-]+/[\w-]+/", confirmation.body)
    assert link, confirmation.body
    page.goto(link.group(0))
    page.get_by_role("button", name="Use this address").click()

    expect(page).to_have_url("/accounts/profile/")
    expect(page.get_by_text("Your email address is now ruth.new@example.net.")).to_be_visible()
    expect(main.get_by_text("Your email address (ruth.new@example.net)")).to_be_visible()
    changed = [m for m in mailoutbox if m.to == [EMAIL]][-1]
    assert changed.subject.startswith("The email of your account was changed")
    log_out(page)
    log_in(page, "ruth.new@example.net")


def test_reader_deletes_the_account_and_an_answered_comment_shows_a_former_reader(page):
    ruth = UserFactory(email=EMAIL, display_name="Ruth Lindqvist")
    article = ArticleFactory(title="Knots between the shoulder blades")
    answered = CommentFactory(
        target=article, user=ruth, name=ruth.display_name, email="", body="Does heat help hips?"
    )
    CommentFactory(parent=answered, name="Otto", body="Yes, it helps hips too.")
    CommentFactory(target=article, user=ruth, name=ruth.display_name, email="", body="Lonely.")
    log_in(page, EMAIL)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ruth Lindqvist").click()
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Delete your account")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label(re.compile("Keep the published ones"))).to_be_checked()
    page.get_by_label(CURRENT_PASSWORD).fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()

    expect(page.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    header = page.get_by_role("navigation", name="Main")
    expect(header.get_by_role("link", name="Log in")).to_be_visible()  # signed out
    page.goto(article.get_absolute_url())
    kept = page.get_by_role("article", name="Comment by a former reader")
    expect(kept).to_contain_text("Does heat help hips?")
    expect(page.get_by_text("Yes, it helps hips too.")).to_be_visible()
    expect(page.get_by_text("Lonely.")).to_have_count(0)
    expect(page.get_by_text("Ruth Lindqvist")).to_have_count(0)
    submit_login_form(page, EMAIL, PASSWORD)
    expect(page.get_by_text(WRONG_LOGIN)).to_be_visible()
