"""Changing the address: a link to the new one, a notice to the old one, nothing changed
before the link is used."""

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from painrelief.accounts import services
from painrelief.accounts.emails import email_change_tokens, send_email_change_emails
from painrelief.accounts.models import EmailChange, User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OLD = "ruth@example.org"
NEW = "Ruth.New@Example.NET"
LINK = re.compile(r"https?://\S+(/accounts/email/confirm/[\w-]+/[\w-]+/)")


@pytest.fixture
def ruth(client):
    user = UserFactory(email=OLD, display_name="Ruth")
    client.force_login(user)
    return user


def ask(client, capture, new_email=NEW, password=PASSWORD):
    with capture(execute=True):
        return client.post(
            reverse("accounts:email-change"), {"new_email": new_email, "password": password}
        )


def link_in(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def emails_to(address: str):
    return [m for m in mail.outbox if m.to == [address]]


def test_a_request_emails_a_link_to_the_new_address_and_a_notice_to_the_old(
    client, ruth, django_capture_on_commit_callbacks
):
    response = ask(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    (notice,) = emails_to(OLD)
    assert notice.subject.startswith("Someone asked to change the email of your account")
    assert "R***@example.net" in notice.body and NEW not in notice.body
    assert "/accounts/password/change/" in notice.body
    (confirm,) = emails_to("Ruth.New@example.net")  # the domain normalised
    assert confirm.subject.startswith("Confirm your new email address")
    link_in(confirm)
    assert "example.net" not in link_in(confirm).lower()  # the token carries no address


def test_nothing_changes_before_the_link_is_used(client, ruth, django_capture_on_commit_callbacks):
    ask(client, django_capture_on_commit_callbacks)

    ruth.refresh_from_db()
    assert ruth.email == OLD
    assert signs_in(OLD) and not signs_in(NEW)


def signs_in(email: str) -> bool:
    data = {"username": email, "password": PASSWORD}
    return Client().post(reverse("accounts:login"), data).status_code == 302


def test_the_link_makes_the_new_address_the_confirmed_one_and_tells_the_old(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email=OLD, display_name="Ruth", email_confirmed_at=None)
    client.force_login(user)
    ask(client, django_capture_on_commit_callbacks)
    link = link_in(emails_to("Ruth.New@example.net")[0])
    mail.outbox.clear()

    assert client.get(link).status_code == 200  # a button: mail scanners do not press it
    user.refresh_from_db()
    assert user.email == OLD
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, follow=True)

    assert "Your email address is now Ruth.New@example.net." in response.text
    user.refresh_from_db()
    assert user.email == "Ruth.New@example.net" and user.has_confirmed_email
    (changed,) = emails_to(OLD)
    assert changed.subject.startswith("The email of your account was changed")
    assert not EmailChange.objects.exists()


def test_the_link_works_once(client, ruth, django_capture_on_commit_callbacks):
    ask(client, django_capture_on_commit_callbacks)
    link = link_in(emails_to("Ruth.New@example.net")[0])
    client.post(link)

    assert client.get(link).status_code == 410
    assert client.post(link).status_code == 410


def test_an_expired_link_changes_nothing(
    client, ruth, settings, django_capture_on_commit_callbacks
):
    ask(client, django_capture_on_commit_callbacks)
    link = link_in(emails_to("Ruth.New@example.net")[0])
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)

    with mock.patch.object(email_change_tokens, "_now", return_value=later):
        response = client.post(link)

    assert response.status_code == 410
    ruth.refresh_from_db()
    assert ruth.email == OLD


def test_a_new_password_cancels_the_request(client, ruth, django_capture_on_commit_callbacks):
    """What the notice tells the owner to do when they did not ask."""
    ask(client, django_capture_on_commit_callbacks)
    link = link_in(emails_to("Ruth.New@example.net")[0])
    ruth.set_password("a-brand-new-password-7")
    ruth.save()

    assert client.post(link).status_code == 410
    ruth.refresh_from_db()
    assert ruth.email == OLD


def test_a_later_request_leaves_the_earlier_link_dead_once_used(
    client, ruth, django_capture_on_commit_callbacks
):
    ask(client, django_capture_on_commit_callbacks, new_email="first@example.net")
    first = link_in(emails_to("first@example.net")[0])
    ask(client, django_capture_on_commit_callbacks, new_email="second@example.net")
    client.post(link_in(emails_to("second@example.net")[0]))

    assert client.post(first).status_code == 410
    ruth.refresh_from_db()
    assert ruth.email == "second@example.net"


def test_a_taken_address_gets_the_same_answer_and_its_mailbox_a_note(
    client, ruth, django_capture_on_commit_callbacks
):
    UserFactory(email="taken@example.net")
    free = ask(client, django_capture_on_commit_callbacks, new_email="free@example.net")
    taken = ask(client, django_capture_on_commit_callbacks, new_email="TAKEN@example.net")

    assert free.status_code == taken.status_code == 302 and free.url == taken.url
    (note,) = emails_to("TAKEN@example.net")
    assert note.subject.startswith("Someone tried to use your address")
    assert "/accounts/email/confirm/" not in note.body
    assert len(emails_to(OLD)) == 2  # the owner hears of both requests
    ruth.refresh_from_db()
    assert ruth.email == OLD


def test_an_address_taken_after_the_request_is_refused_with_a_clear_message(
    client, ruth, django_capture_on_commit_callbacks
):
    ask(client, django_capture_on_commit_callbacks)
    link = link_in(emails_to("Ruth.New@example.net")[0])
    UserFactory(email="ruth.new@EXAMPLE.net")  # another case: the same address

    response = client.post(link)

    assert response.status_code == 409
    assert "This address has an account now" in response.text
    ruth.refresh_from_db()
    assert ruth.email == OLD


def test_the_database_settles_a_race_for_the_address(ruth):
    """Another account takes the address between the check and the save (in a race): the
    case-insensitive unique constraint refuses it, and nothing changes."""
    change = EmailChange.objects.create(user=ruth, new_email="race@example.net")
    other = UserFactory(email="other@example.org")
    User.objects.filter(pk=other.pk).update(email="RACE@example.net")
    real_filter = User.objects.filter

    def no_account_found(*args, **kwargs):
        found = real_filter(*args, **kwargs)
        return found.none() if "email__iexact" in kwargs else found

    with (
        mock.patch.object(User.objects, "filter", no_account_found),
        pytest.raises(services.AddressTaken),
    ):
        services.confirm_email_change(change=change)

    ruth.refresh_from_db()
    assert ruth.email == OLD
    assert EmailChange.objects.filter(pk=change.pk).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"new_email": NEW, "password": "not-my-password"}, "password"),
        ({"new_email": "RUTH@example.org", "password": PASSWORD}, "new_email"),
        ({"new_email": "not an address", "password": PASSWORD}, "new_email"),
    ],
    ids=["wrong password", "the same address", "not an address"],
)
def test_a_refused_request_says_why_and_sends_nothing(
    client, ruth, data, field, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:email-change"), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not mail.outbox and not EmailChange.objects.exists()


def test_a_few_requests_an_hour_per_account(client, ruth, django_capture_on_commit_callbacks):
    for number in range(services.EMAIL_CHANGES_PER_HOUR):
        ask(client, django_capture_on_commit_callbacks, new_email=f"n{number}@example.net")

    response = ask(client, django_capture_on_commit_callbacks, new_email="one-more@example.net")

    assert response.status_code == 200
    assert "several changes in the last hour" in response.text
    assert not emails_to("one-more@example.net")


def test_the_emails_are_sent_once_when_the_task_runs_again(ruth):
    change = services.request_email_change(user=ruth, new_email=NEW)
    send_email_change_emails.call(change.pk, False)
    send_email_change_emails.call(change.pk, False)

    assert len(mail.outbox) == 2


def test_the_profile_links_to_the_change(client, ruth):
    response = client.get(reverse("accounts:profile"))

    assert reverse("accounts:email-change") in response.text
    assert reverse("accounts:delete") in response.text


def test_the_link_opened_where_the_account_is_not_signed_in_leads_to_the_login(
    client, ruth, django_capture_on_commit_callbacks
):
    ask(client, django_capture_on_commit_callbacks)
    link = link_in(emails_to("Ruth.New@example.net")[0])

    response = Client().post(link)

    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert signs_in("ruth.new@example.net")
