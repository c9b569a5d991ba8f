"""Writes on accounts that have side effects beyond one row."""

from contextlib import suppress
from importlib import import_module

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from painrelief.spam import defence

from .avatars import ProcessedAvatar
from .models import User
from .roles import Role


class SignUpRefused(Exception):
    """The spam defence called the sign-up spam: no account is created."""


class EmailTaken(Exception):
    """Another account has this address (in any case), perhaps created a moment ago."""


def sign_up(*, email: str, display_name: str, password: str, spam_context: defence.Context) -> User:
    """Create a reader's account after the spam defence has read it; its verdict is kept."""
    verdict = defence.check(
        defence.Submission(text="", author=display_name, email=email), spam_context
    )
    if verdict.decision == defence.SPAM:
        raise SignUpRefused
    try:
        # The form looked for the address already; two sign-ups at the same moment meet here,
        # at the database's case-insensitive unique constraint.
        with transaction.atomic():
            return User.objects.create_user(
                email=email,
                password=password,
                display_name=display_name,
                signup_verdict=verdict.defence_decision,
                signup_reasons=verdict.reason_dicts(),
            )
    except IntegrityError as error:
        raise EmailTaken from error


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
