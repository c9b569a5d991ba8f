"""Demo accounts: the coach, a moderator and a few readers (all names invented)."""

from dataclasses import dataclass

from django.utils import timezone

from painrelief.accounts import services
from painrelief.accounts.models import User
from painrelief.accounts.roles import Role


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


COACH = DemoLogin("Coach", "coach@example.com", "coach-demo-2026")
MODERATOR = DemoLogin("Moderator", "moderator@example.com", "moderator-demo-2026")
READER = DemoLogin("Reader", "reader@example.com", "reader-demo-2026")

ACCOUNTS = [
    (COACH, "Coach Elena Marsh", Role.COACH),
    (MODERATOR, "Sam Okafor (moderator)", Role.MODERATOR),
    (READER, "Ruth Lindqvist", None),
    (DemoLogin("Reader", "tomas@example.com", "reader-demo-2026"), "Tomás Ferreira", None),
    (DemoLogin("Reader", "priya@example.com", "reader-demo-2026"), "Priya Natarajan", None),
]


def seed_users() -> tuple[list[User], int]:
    """Create the demo accounts that are missing; return them all and how many were new."""
    users, created_count = [], 0
    for login, display_name, role in ACCOUNTS:
        user = User.objects.filter(email__iexact=login.email).first()
        if user is None:
            user = User.objects.create_user(
                login.email,
                login.password,
                display_name=display_name,
                email_confirmed_at=timezone.now(),  # demo addresses: nobody to confirm them
            )
            created_count += 1
        if role:
            services.grant_role(user=user, role=role)
        users.append(user)
    return users, created_count
