"""Roles from the outside: what each kind of person gets from admin and site pages."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from painrelief.accounts import services
from painrelief.accounts.roles import Role
from tests.factories import UserFactory, coach, moderator

pytestmark = pytest.mark.django_db

ANONYMOUS, READER, MODERATOR, COACH = "anonymous", "reader", "moderator", "coach"
LOGIN_REDIRECT = 302


@pytest.fixture
def as_role(client):
    def sign_in(role):
        user = {READER: UserFactory, MODERATOR: moderator, COACH: coach}.get(role)
        if user:
            client.force_login(user())
        return client

    return sign_in


def test_roles_are_groups_created_by_the_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Coach", "Moderator"}
    coach_permissions = set(
        Group.objects.get(name="Coach").permissions.values_list("codename", flat=True)
    )
    assert {"view_user", "add_article", "change_article", "delete_article"} <= coach_permissions
    assert not {"change_user", "delete_user", "add_user"} & coach_permissions
    moderator_permissions = Group.objects.get(name="Moderator").permissions
    moderator_apps = {p.content_type.app_label for p in moderator_permissions.all()}
    assert moderator_apps == {"comments", "questions", "spam"}


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("admin:index", {ANONYMOUS: 302, READER: 302, MODERATOR: 200, COACH: 200}),
        (
            "admin:accounts_user_changelist",
            {ANONYMOUS: 302, READER: 302, MODERATOR: 403, COACH: 200},
        ),
        ("admin:accounts_user_add", {ANONYMOUS: 302, READER: 302, MODERATOR: 403, COACH: 403}),
        ("admin:auth_group_changelist", {ANONYMOUS: 302, READER: 302, MODERATOR: 403, COACH: 403}),
        (
            "admin:comments_comment_changelist",
            {ANONYMOUS: 302, READER: 302, MODERATOR: 200, COACH: 200},
        ),
        ("accounts:profile", {ANONYMOUS: 302, READER: 200, MODERATOR: 200, COACH: 200}),
        ("home", {ANONYMOUS: 200, READER: 200, MODERATOR: 200, COACH: 200}),
    ],
)
@pytest.mark.parametrize("role", [ANONYMOUS, READER, MODERATOR, COACH])
def test_page_access_by_role(as_role, role, url_name, expected):
    response = as_role(role).get(reverse(url_name))

    assert response.status_code == expected[role]
    if expected[role] == LOGIN_REDIRECT:
        assert "login" in response.url


def test_the_coach_can_read_but_not_change_an_account(as_role):
    reader = UserFactory(display_name="Ruth")
    client = as_role(COACH)
    url = reverse("admin:accounts_user_change", args=[reader.pk])

    assert client.get(url).status_code == 200
    response = client.post(
        url, {"email": reader.email, "display_name": "Hacked", "is_superuser": "on"}
    )

    assert response.status_code == 403
    reader.refresh_from_db()
    assert reader.display_name == "Ruth" and not reader.is_superuser


def test_the_moderator_cannot_open_an_account_page(as_role):
    reader = UserFactory()

    response = as_role(MODERATOR).get(reverse("admin:accounts_user_change", args=[reader.pk]))

    assert response.status_code == 403


def test_superuser_makes_a_reader_moderator_from_the_user_list(client):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    reader = UserFactory()
    client.force_login(admin_user)

    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "make_moderator", "_selected_action": [reader.pk]},
    )

    reader.refresh_from_db()
    assert reader.is_staff
    assert set(reader.groups.values_list("name", flat=True)) == {Role.MODERATOR}


def test_revoking_roles_closes_the_admin_again(client):
    user = moderator()

    services.revoke_roles(user=user)
    client.force_login(user)

    assert not user.is_staff
    assert client.get(reverse("admin:index")).status_code == 302
