import re
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from painrelief.comments.models import Comment
from painrelief.spam import defence
from painrelief.spam.forms import STAMP_SALT
from painrelief.text import clean_line
from tests.factories import PASSWORD, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def stamp(seconds_ago: float = 40) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=STAMP_SALT)


def signup(client, **overrides):
    data = {
        "email": "Ruth.L@Example.org",
        "display_name": "Ruth",
        "password1": PASSWORD,
        "password2": PASSWORD,
    } | overrides
    return client.post(reverse("accounts:signup"), data)


def test_signup_creates_the_account_and_emails_a_link_confirming_the_address(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client)

    assert response.status_code == 302
    assert response.url == reverse("accounts:signup-sent")
    user = User.objects.get()
    assert user.email == "Ruth.L@example.org"  # domain normalised
    assert user.display_name == "Ruth"
    assert not user.is_staff and not user.has_confirmed_email
    (message,) = mail.outbox
    assert message.to == ["Ruth.L@example.org"]
    assert message.subject.startswith("Confirm your email address")
    assert "/accounts/confirm/" in message.body
    assert "_auth_user_id" not in client.session  # signed in by the link, not the form


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


def test_signup_answers_the_same_for_an_address_that_has_an_account_and_emails_it(
    client, django_capture_on_commit_callbacks
):
    """Password reset does not reveal who has an account; nor does sign-up: the mailbox is
    told instead."""
    UserFactory(email="ruth.l@example.org", password="the-old-password-1")
    with django_capture_on_commit_callbacks(execute=True):
        new = signup(Client(), email="someone.new@example.org").url
        taken = signup(client, email="RUTH.L@example.org", display_name="Ruth again")

    assert taken.status_code == 302 and taken.url == new == reverse("accounts:signup-sent")
    main = re.compile(r"<main.*</main>", re.S)  # the footer's forms carry one-time stamps
    assert main.search(client.get(taken.url).text)[0] == main.search(Client().get(new).text)[0]
    assert User.objects.count() == 2
    notice = next(m for m in mail.outbox if m.to == ["ruth.l@example.org"])
    assert notice.subject.startswith("Someone tried to sign up with your address")
    assert "/accounts/password/reset/" in notice.body and "/accounts/login/" in notice.body
    assert "/accounts/confirm/" not in notice.body
    assert User.objects.get(email="ruth.l@example.org").check_password("the-old-password-1")


def test_two_signups_for_one_address_at_the_same_moment_make_one_account(
    client, django_capture_on_commit_callbacks
):
    """The second one passed the form before the first was stored: the database's unique
    constraint answers, and the second gets the same page, with no second email."""
    check = defence.check

    other_tab = [Client()]

    def check_while_another_tab_signs_up(*args, **kwargs):
        if other_tab:  # after the checks, before the insert
            signup(other_tab.pop(), email="ruth.l@example.org")
        return check(*args, **kwargs)

    with (
        mock.patch.object(defence, "check", check_while_another_tab_signs_up),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = signup(client, email="RUTH.L@example.org")

    assert response.status_code == 302 and response.url == reverse("accounts:signup-sent")
    assert User.objects.count() == 1
    assert [m.subject.split(" ·")[0] for m in mail.outbox] == ["Confirm your email address"]


def test_the_confirmation_link_confirms_once_and_signs_the_reader_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    link = re.search(r"http://testserver(/accounts/confirm/\S+/)", mail.outbox[0].body)[1]

    page = client.get(link)
    assert "Confirm my address" in page.text and not User.objects.get().has_confirmed_email
    confirmed = client.post(link)

    assert confirmed.url == reverse("accounts:profile")
    assert User.objects.get().has_confirmed_email
    assert client.get(reverse("accounts:profile")).context["user"].email == "Ruth.L@example.org"
    assert Client().get(link).status_code == 410  # used: it works once
    forged = link.rsplit("/", 2)[0] + "/abc-forged/"
    assert Client().post(forged).status_code == 410
    huge_id = urlsafe_base64_encode(force_bytes(10**30))
    assert Client().get(f"/accounts/confirm/{huge_id}/abc-forged/").status_code == 410


def test_signing_up_again_on_an_unconfirmed_account_sends_no_link_to_confirm_it(
    client, django_capture_on_commit_callbacks, settings
):
    """Someone may have signed up with another person's address: its owner is told how to set
    their own password, never asked to confirm an account whose password they did not choose."""
    UserFactory(email="ruth.l@example.org", email_confirmed_at=None, password="squatter-pw-9")
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, email="ruth.l@example.org")

    (notice,) = mail.outbox
    assert notice.subject.startswith("Someone tried to sign up with your address")
    assert "/accounts/confirm/" not in notice.body and "/accounts/password/reset/" in notice.body
    assert User.objects.get().check_password("squatter-pw-9")


def test_a_password_reset_through_the_emailed_link_confirms_the_address(client):
    user = UserFactory(email="ruth.l@example.org", email_confirmed_at=None)
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    url = reverse(
        "accounts:password-reset-confirm",
        kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(user)},
    )
    form_url = client.get(url).url  # Django moves the token into the session first

    client.post(
        form_url, {"new_password1": "a-new-long-pass-77", "new_password2": "a-new-long-pass-77"}
    )

    user.refresh_from_db()
    assert user.check_password("a-new-long-pass-77") and user.has_confirmed_email


def test_an_account_not_yet_confirmed_signs_in_but_its_comment_waits_like_a_strangers(
    client, settings
):
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = True
    article = ArticleFactory()
    unconfirmed = UserFactory(email_confirmed_at=None)
    confirmed = UserFactory()
    statuses = {}
    for user in (unconfirmed, confirmed):
        client.force_login(user)
        comment_url = reverse("comments:post", args=["articles.article", article.pk])
        client.post(comment_url, {"body": f"Heat helped me, {user.pk}.", "form_stamp": stamp()})
        statuses[user] = Comment.objects.get(user=user).status

    assert statuses == {unconfirmed: "pending", confirmed: "approved"}
    client.force_login(unconfirmed)
    assert "Your address is not confirmed yet" in client.get(reverse("accounts:profile")).text


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
