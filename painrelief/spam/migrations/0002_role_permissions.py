from django.db import migrations

from painrelief.accounts.roles import grant_role_permissions

MODERATION = [
    "spam.view_disallowedterm",
    "spam.add_disallowedterm",
    "spam.change_disallowedterm",
    "spam.delete_disallowedterm",
    "spam.view_decision",
]


def grant(apps, schema_editor):
    grant_role_permissions(apps, {"Coach": MODERATION, "Moderator": MODERATION})


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Coach", "Moderator"]):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="spam"))


class Migration(migrations.Migration):
    dependencies = [
        ("spam", "0001_spam_defence"),
        ("accounts", "0002_create_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
