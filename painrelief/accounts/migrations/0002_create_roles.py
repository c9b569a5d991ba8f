from django.db import migrations

from painrelief.accounts.roles import grant_role_permissions

# Frozen here: later apps grant their own permissions to the roles in their own migrations.
ROLE_PERMISSIONS = {
    "Coach": ["accounts.view_user"],
    "Moderator": [],
}


def create_roles(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_user"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
