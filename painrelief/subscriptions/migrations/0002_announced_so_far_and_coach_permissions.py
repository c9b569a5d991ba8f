"""Articles already public when subscriptions begin count as announced (nobody subscribed yet
should get the archive), and the coach may see and remove subscriptions."""

from django.db import migrations
from django.db.models.functions import Now

from painrelief.accounts.roles import grant_role_permissions


def announced_so_far(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Announcement = apps.get_model("subscriptions", "Announcement")
    public = Article.objects.filter(status="published", published_at__lte=Now())
    Announcement.objects.bulk_create(
        [Announcement(article_id=pk) for pk in public.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )


def coach_permissions(apps, schema_editor):
    grant_role_permissions(
        apps, {"Coach": ["subscriptions.view_subscription", "subscriptions.delete_subscription"]}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0001_initial"),
        ("articles", "0005_revisions"),
        ("accounts", "0002_create_roles"),
    ]

    operations = [
        migrations.RunPython(announced_so_far, migrations.RunPython.noop),
        migrations.RunPython(coach_permissions, migrations.RunPython.noop),
    ]
