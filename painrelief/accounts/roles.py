"""The site's roles. Each is a Django group, created by the accounts data migration."""

from django.db import models


class Role(models.TextChoices):
    COACH = "Coach", "Coach"  # writes articles, answers questions, moderates
    MODERATOR = "Moderator", "Moderator"  # reviews comments and submissions, nothing else


def grant_role_permissions(apps, role_permissions: dict[str, list[str]]) -> None:
    """Create the role groups if needed and give them permissions ("app_label.codename").

    For data migrations: each app grants the roles its own permissions in its own migration.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in role_permissions.items():
        group, _ = Group.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
