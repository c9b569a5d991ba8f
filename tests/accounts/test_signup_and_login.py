from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrelief.spam import defence
from painrelief.text import clean_line
from tests.comments.conftest import form_stamp
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup(client, **overrides):
    data = {
        "email": "Ruth.L@Example.org",
        "display_name": "Ruth",
        "password1": PASSWORD,
        "password2": PASSWORD,
    } | overrides
    return client.post(reverse("accounts:signup"), data)


def test_signup_creates_the_account_and_signs_the_reader_in(client):
    response = signup(client)

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    user = User.objects.get()
    assert user.email == "Ruth.L@example.org"  # domain normalised
    assert user.display_name == "Ruth"
    assert not user.is_staff
    assert client.get(reverse("accounts:profile")).context["user"] == user


def test_signup_cleans_the_display_name_as_a_guest_name_is_cleaned(client):
    """Direction overrides, zero-width characters and controls go; joiners stay; one line."""
    name = "\u202eanelE\u202c  Coach\u200b\u2066 \x07👩\u200d⚕️\n"

    response = signup(client, display_name=name)

    assert response.status_code == 302
    assert User.objects.get().display_name == clean_line(name) == "anelE Coach 👩\u200d⚕️"


def test_signup_refuses_a_display_name_of_invisible_characters_only(client):
    response = signup(client, display_name="\u200b\u202e\u2066")

    assert response.status_code == 200
    assert "Please tell us the name to show with your comments." in response.text
    assert not User.objects.exists()


def test_signup_refuses_an_email_already_used_in_any_case_and_keeps_the_typed_text(client):
    UserFactory(email="ruth.l@example.org")

    response = signup(client, email="RUTH.L@example.org", display_name="Ruth again")

    assert response.status_code == 200
    assert "An account with this email address already exists" in response.text
    assert 'value="RUTH.L@example.org"' in response.text
    assert 'value="Ruth again"' in response.text
    assert User.objects.count() == 1


def test_two_signups_for_one_address_at_the_same_moment_make_one_account(client):
    """The second one passed the form's check before the first was stored: the database's
    unique constraint answers, with the form's usual message instead of a server error."""
    check = defence.check

    def check_while_another_tab_signs_up(*args, **kwargs):
        UserFactory(email="ruth.l@example.org")  # after the form's checks, before the insert
        return check(*args, **kwargs)

    with mock.patch.object(defence, "check", check_while_another_tab_signs_up):
        response = signup(client, email="RUTH.L@example.org")

    assert response.status_code == 200
    assert "An account with this email address already exists" in response.text
    assert 'value="RUTH.L@example.org"' in response.text
    assert User.objects.count() == 1


def test_signup_with_mismatched_passwords_keeps_email_and_name(client):
    response = signup(client, password2="something-else-entirely")

    assert response.status_code == 200
    assert "The two password fields didn’t match." in response.text
    assert 'value="Ruth.L@Example.org"' in response.text
    assert not User.objects.exists()


def test_signup_marks_required_fields_and_shows_no_captcha_without_keys(client):
    response = client.get(reverse("accounts:signup"))

    assert "asteriskField" in response.text
    assert "g-recaptcha" not in response.text
    assert "recaptcha" not in response.text.lower()


def test_login_by_email_is_case_insensitive(client):
    user = UserFactory(email="tomas@example.org")

    response = client.post(
        reverse("accounts:login"), {"username": "TOMAS@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user


def test_wrong_password_shows_a_clear_error_and_keeps_the_email(client):
    UserFactory(email="tomas@example.org")

    response = client.post(
        reverse("accounts:login"), {"username": "tomas@example.org", "password": "nope"}
    )

    assert response.status_code == 200
    assert "do not match an account" in response.text
    assert 'value="tomas@example.org"' in response.text


def test_repeated_wrong_passwords_lock_that_email_out_from_that_address(client, settings):
    UserFactory(email="tomas@example.org")
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert (
            client.post(url, {"username": "tomas@example.org", "password": "x"}).status_code == 200
        )

    locked = client.post(url, {"username": "tomas@example.org", "password": "x"})
    still_locked = client.post(url, {"username": "tomas@example.org", "password": PASSWORD})

    assert locked.status_code == 429
    assert still_locked.status_code == 429
    assert "Too many failed log-in attempts" in still_locked.text
    assert "_auth_user_id" not in client.session


def test_changing_the_case_of_the_email_does_not_escape_the_count(client, settings):
    UserFactory(email="tomas@example.org")
    url = reverse("accounts:login")
    spellings = [
        "tomas@example.org",
        "TOMAS@example.org",
        "Tomas@Example.org",
        " tomas@EXAMPLE.org",
    ]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": spellings[attempt % len(spellings)], "password": "x"})

    response = client.post(url, {"username": "tomas@example.org", "password": PASSWORD})

    assert response.status_code == 429


def test_lockout_does_not_reach_the_same_email_from_another_address(client, settings):
    UserFactory(email="tomas@example.org")
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "tomas@example.org", "password": "x"})

    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    response = elsewhere.post(url, {"username": "tomas@example.org", "password": PASSWORD})

    assert response.status_code == 302


def test_admin_login_is_throttled_too(client, settings):
    UserFactory(email="coach@example.org", is_staff=True)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "coach@example.org", "password": "x"})

    response = client.post(url, {"username": "coach@example.org", "password": PASSWORD})

    assert response.status_code == 429


def test_logout_needs_a_post(client):
    user = UserFactory()
    client.force_login(user)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", ["accounts:signup", "accounts:login", "accounts:password-reset"])
def test_account_forms_refuse_a_post_without_csrf_token(name):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse(name), {"username": "a@example.org", "email": "a@example.org"})

    assert response.status_code == 403


def test_signed_in_reader_is_sent_from_signup_to_profile(client):
    client.force_login(UserFactory())

    response = client.get(reverse("accounts:signup"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")


def test_a_double_click_on_sign_up_lands_both_copies_on_the_welcome(client):
    """The second copy of the same form finds the account the first made: it is signed in
    and welcomed as the first was, not told that the address is taken."""
    sent = {"form_stamp": form_stamp()}
    first = signup(client, **sent)
    other_browser = Client()  # the second copy left before the first's cookie came back

    second = signup(other_browser, **sent)

    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("accounts:profile")
    user = User.objects.get()
    assert other_browser.get(reverse("accounts:profile")).context["user"] == user


def test_the_same_address_and_password_from_a_form_shown_after_the_account_was_made_is_taken(
    client,
):
    """Only a form shown before the account existed can be its other copy: a later form,
    even with the right password, gets the usual message."""
    UserFactory(email="ruth.l@example.org", date_joined=timezone.now() - timedelta(minutes=5))

    response = signup(client, form_stamp=form_stamp())

    assert response.status_code == 200
    assert "An account with this email address already exists" in response.text
    assert "_auth_user_id" not in client.session


def test_a_second_copy_with_another_password_is_told_the_address_is_taken(client):
    stamp = form_stamp()
    signup(client, form_stamp=stamp)
    other_browser = Client()

    response = signup(
        other_browser, form_stamp=stamp, password1="An0ther-secret!", password2="An0ther-secret!"
    )

    assert response.status_code == 200
    assert "An account with this email address already exists" in response.text
    assert "_auth_user_id" not in other_browser.session
