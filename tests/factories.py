"""Builders for test data (factory_boy)."""

import factory

from painrelief.accounts import services
from painrelief.accounts.models import User
from painrelief.accounts.roles import Role

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A reader; pass role=Role.COACH or Role.MODERATOR for staff. Password: PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    display_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(user, create, role, **kwargs):
        if create and role:
            services.grant_role(user=user, role=role)


def coach(**kwargs) -> User:
    return UserFactory(role=Role.COACH, display_name="Coach Elena", **kwargs)


def moderator(**kwargs) -> User:
    return UserFactory(role=Role.MODERATOR, **kwargs)
