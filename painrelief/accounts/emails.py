"""The sign-up emails: a link confirming a new address, or a note to an address that has an
account already. Sign-up answers both the same way, so only the mailbox learns which it was.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from painrelief.mail import outbox
from painrelief.site import absolute_url

from .models import EmailChange, User

SUBJECTS = {
    "confirm": "Confirm your email address",
    "already": "Someone tried to sign up with your address",
}


class ConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset tokens, for confirming an address: they expire with
    PASSWORD_RESET_TIMEOUT and work once (confirming changes what they are made from)."""

    key_salt = "painrelief.accounts.confirm-email"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.email_confirmed_at}{timestamp}"


confirmation_tokens = ConfirmationTokenGenerator()


def confirm_url(user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = confirmation_tokens.make_token(user)
    return absolute_url(reverse("accounts:confirm-email", args=[uidb64, token]))


@task(takes_context=True)
def send_signup_email(context, kind: str, user_id: int) -> None:
    """`kind` is "confirm" (a new account) or "already" (the address had one)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    variables = {
        "SITE_NAME": settings.SITE_NAME,
        "user": user,
        "confirm_url": confirm_url(user) if kind == "confirm" else "",
        "login_url": absolute_url(reverse("accounts:login")),
        "reset_url": absolute_url(reverse("accounts:password-reset")),
        "link_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    body = render_to_string(f"accounts/emails/{kind}.txt", variables)
    message = EmailMessage(f"{SUBJECTS[kind]} · {settings.SITE_NAME}", body, to=[user.email])
    outbox.send(message, key=f"{context.task_result.id}:signup:{user.pk}")


# --- Changing the address -------------------------------------------------------------------

EMAIL_CHANGE_SUBJECTS = {
    "confirm": "Confirm your new email address",
    "taken": "Someone tried to use your address",
    "notice": "Someone asked to change the email of your account",
    "changed": "The email of your account was changed",
}


class EmailChangeTokenGenerator(PasswordResetTokenGenerator):
    """The link confirming a new address: it expires with PASSWORD_RESET_TIMEOUT and works
    once (the account's address changes); a new password cancels it, which is what the notice
    to the old address tells the owner to do if they did not ask."""

    key_salt = "painrelief.accounts.change-email"

    def _make_hash_value(self, change, timestamp):
        user = change.user
        return f"{change.pk}{change.new_email}{user.pk}{user.email}{user.password}{timestamp}"


email_change_tokens = EmailChangeTokenGenerator()


def email_change_url(change: EmailChange) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(change.pk))
    token = email_change_tokens.make_token(change)
    return absolute_url(reverse("accounts:email-change-confirm", args=[uidb64, token]))


def masked(email: str) -> str:
    """n***@example.net: enough for the owner to recognise a request, not to learn an address."""
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}***@{domain}"


@task
def send_email_change_emails(change_id: int, taken: bool) -> None:
    """The request's two emails: the notice to the current address, and to the new one the
    link (or, when it has an account, a note that someone tried to use it)."""
    change = EmailChange.objects.select_related("user").filter(pk=change_id).first()
    if change is None:
        return
    user = change.user
    variables = {
        "SITE_NAME": settings.SITE_NAME,
        "user": user,
        "new_email": masked(change.new_email),
        "confirm_url": "" if taken else email_change_url(change),
        "login_url": absolute_url(reverse("accounts:login")),
        "reset_url": absolute_url(reverse("accounts:password-reset")),
        "password_change_url": absolute_url(reverse("accounts:password-change")),
        "link_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    to_new = "taken" if taken else "confirm"
    for kind, address in (("notice", user.email), (to_new, change.new_email)):
        _send_email_change_email(kind, address, variables, key=f"email-change:{change.pk}:{kind}")


@task
def send_email_changed_notice(user_id: int, old_email: str, change_id: int) -> None:
    """After the change: the old address is told it happened (the new one just proved itself)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    variables = {
        "SITE_NAME": settings.SITE_NAME,
        "user": user,
        "new_email": masked(user.email),
    }
    _send_email_change_email(
        "changed", old_email, variables, key=f"email-change:{change_id}:changed"
    )


def _send_email_change_email(kind: str, address: str, variables: dict, *, key: str) -> None:
    body = render_to_string(f"accounts/emails/email_change_{kind}.txt", variables)
    subject = f"{EMAIL_CHANGE_SUBJECTS[kind]} · {settings.SITE_NAME}"
    outbox.send(EmailMessage(subject, body, to=[address]), key=key)
