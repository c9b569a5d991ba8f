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

from .models import User

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
