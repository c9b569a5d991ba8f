"""Writes on accounts that have side effects beyond one row."""

from contextlib import suppress
from importlib import import_module

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from painrelief.counters import count_event
from painrelief.spam import defence

from . import emails
from .avatars import ProcessedAvatar
from .models import EmailChange, User
from .roles import Role


class SignUpRefused(Exception):
    """The spam defence called the sign-up spam: no account is created."""


SIGNUP_EMAIL_EVERY_SECONDS = 5 * 60


def sign_up(*, email: str, display_name: str, password: str, spam_context: defence.Context) -> None:
    """Start a sign-up, answering the same whether the address has an account or not.

    A new address gets an account, not confirmed yet, and an email with the link confirming
    it. An address that has an account, confirmed or not, gets an email saying so, with how to
    sign in or reset the password, and nothing is changed: whoever signed up with somebody
    else's address cannot have its owner confirm that account, since the owner's way in is
    the password reset, which sets their own password (and confirms the address). One sign-up
    email per account every few minutes: a double click, or the form used to flood an inbox.
    """
    verdict = defence.check(
        defence.Submission(text="", author=display_name, email=email), spam_context
    )
    if verdict.decision == defence.SPAM:
        raise SignUpRefused
    user = User.objects.filter(email__iexact=email).first()
    created = False
    if user is None:
        try:
            # Two sign-ups at the same moment meet at the database's case-insensitive unique
            # constraint: the second finds the first's account.
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    display_name=display_name,
                    signup_verdict=verdict.defence_decision,
                    signup_reasons=verdict.reason_dicts(),
                )
            created = True
        except IntegrityError:
            user = User.objects.get(email__iexact=email)
    else:
        make_password(password)  # as long as creating an account: the time tells nothing
    kind = "confirm" if created else "already"
    if cache.add(f"signup-email:{user.pk}", 1, SIGNUP_EMAIL_EVERY_SECONDS):
        transaction.on_commit(lambda: emails.send_signup_email.enqueue(kind, user.pk))


def confirm_email(*, user: User) -> None:
    """A link emailed to the address was used (confirmation or password reset): the address
    is the account holder's."""
    if not user.has_confirmed_email:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])


# --- Changing the address -------------------------------------------------------------------

EMAIL_CHANGES_PER_HOUR = 5


class TooManyEmailChanges(Exception):
    """The account asked for more changes in the last hour than anyone needs."""


class AddressTaken(Exception):
    """The new address got an account between the request and the link."""


def request_email_change(*, user: User, new_email: str) -> EmailChange:
    """Ask for a new address: the link goes to it, a notice to the current one, and nothing
    changes until the link is used. An address that has an account gets a note instead of the
    link, and the reader is answered the same: only that mailbox learns it has an account.
    A few requests an hour per account: the form cannot be used to flood someone's inbox.
    """
    if count_event(f"email-change:{user.pk}", window_seconds=3600) > EMAIL_CHANGES_PER_HOUR:
        raise TooManyEmailChanges
    new_email = User.objects.normalize_email(new_email)
    change = EmailChange.objects.create(user=user, new_email=new_email)
    taken = User.objects.filter(email__iexact=change.new_email).exclude(pk=user.pk).exists()
    transaction.on_commit(lambda: emails.send_email_change_emails.enqueue(change.pk, taken))
    return change


def confirm_email_change(*, change: EmailChange) -> User:
    """The link sent to the new address was used: it becomes the account's confirmed address,
    the account's other requests are dropped, and the old address is told.

    Raises AddressTaken, changing nothing, when another account has the address now (found
    first, or met at the database's case-insensitive unique constraint in a race).
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=change.user_id)
        if User.objects.filter(email__iexact=change.new_email).exclude(pk=user.pk).exists():
            raise AddressTaken
        old_email = user.email
        user.email = change.new_email
        user.email_confirmed_at = timezone.now()
        try:
            with transaction.atomic():
                user.save(update_fields=["email", "email_confirmed_at"])
        except IntegrityError:
            raise AddressTaken from None
        EmailChange.objects.filter(user=user).delete()
        # The sign-in history (kept by address) follows the account: an erase finds it there.
        for model in (AccessLog, AccessFailureLog):
            model.objects.filter(username__iexact=old_email).update(username=user.email)
        transaction.on_commit(
            lambda: emails.send_email_changed_notice.enqueue(user.pk, old_email, change.pk)
        )
    return user


@transaction.atomic
def grant_role(*, user: User, role: Role) -> None:
    """Put the user in the role's group; staff status opens the admin, the group limits it."""
    user.groups.add(Group.objects.get(name=role))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@transaction.atomic
def revoke_roles(*, user: User) -> None:
    """Make the user a plain reader again (superusers keep their staff status)."""
    user.groups.remove(*Group.objects.filter(name__in=Role.values))
    if user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


@transaction.atomic
def update_profile(
    *, user: User, display_name: str, avatar: ProcessedAvatar | None, remove_avatar: bool
) -> None:
    """Save the profile page: the display name, and a new avatar or its removal."""
    user.display_name = display_name
    user.save(update_fields=["display_name"])
    if avatar is not None or remove_avatar:
        set_avatar(user=user, avatar=avatar)


@transaction.atomic
def set_avatar(*, user: User, avatar: ProcessedAvatar | None) -> None:
    """Replace (or with None, remove) the user's avatar files; the old files are deleted."""
    old_files = [f.name for f in (user.avatar, user.avatar_small) if f]
    if avatar is None:
        user.avatar = user.avatar_small = ""
    else:
        user.avatar.save(
            f"{avatar.token}-{avatar.large_size}.webp", ContentFile(avatar.large), save=False
        )
        user.avatar_small.save(
            f"{avatar.token}-{avatar.small_size}.webp", ContentFile(avatar.small), save=False
        )
    user.save(update_fields=["avatar", "avatar_small"])
    storage = User._meta.get_field("avatar").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in old_files])


# --- Retention (run by the schedule, painrelief/worker/schedule.py) ---------------------------


def clear_expired_sessions() -> None:
    """Delete sessions past their expiry (what `manage.py clearsessions` does)."""
    engine = import_module(settings.SESSION_ENGINE)
    # A cache that keeps sessions expires them by itself (NotImplementedError).
    with suppress(NotImplementedError):
        engine.SessionStore.clear_expired()


def forget_old_login_records() -> dict[str, int]:
    """Login throttling (django-axes): failures past the cool-off, and the login history
    (addresses and browsers) older than LOGIN_HISTORY_DAYS."""
    handler = AxesDatabaseHandler()
    # axes' own clean-up of expired attempts wants a request; its rule without one:
    cooled_off = AccessAttempt.objects.filter(
        attempt_time__lte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    return {
        "expired failures": cooled_off.delete()[0],
        "old logins": handler.reset_logs(age_days=settings.LOGIN_HISTORY_DAYS),
        "old failure logs": handler.reset_failure_logs(age_days=settings.LOGIN_HISTORY_DAYS),
    }
