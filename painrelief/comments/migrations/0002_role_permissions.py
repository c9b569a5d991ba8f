from django.db import migrations

from painrelief.accounts.roles import grant_role_permissions

MODERATION = [
    "comments.view_comment",
    "comments.change_comment",
    "comments.delete_comment",
    "comments.moderate_comment",
]
ROLE_PERMISSIONS = {
    # The coach also answers comments from the admin ("add").
    "Coach": [*MODERATION, "comments.add_comment"],
    "Moderator": MODERATION,
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="comments"))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_comments"),
        ("accounts", "0002_create_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
