from django.conf import settings
from django.db import migrations

from painrelief.accounts.roles import grant_role_permissions

COACH_PERMISSIONS = [
    f"articles.{action}_{model}"
    for model in ("article", "category", "tag", "resource", "articleredirect", "picture")
    for action in ("add", "change", "delete", "view")
] + ["articles.view_downloadrequest", "articles.delete_downloadrequest"]


def grant_coach_permissions(apps, schema_editor):
    grant_role_permissions(apps, {"Coach": COACH_PERMISSIONS})


def revoke_coach_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    coach = Group.objects.filter(name="Coach").first()
    if coach:
        coach.permissions.remove(*Permission.objects.filter(content_type__app_label="articles"))


# The same weighted document as articles.search.search_vector(), so PostgreSQL uses the index.
SEARCH_DOCUMENT = (
    "((setweight(to_tsvector('{config}'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('{config}'::regconfig, COALESCE(summary, '')), 'B'))"
    " || setweight(to_tsvector('{config}'::regconfig, COALESCE(plain_text, '')), 'C'))"
)


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite searches with a simple word match
    config = settings.ARTICLES_SEARCH_CONFIG.replace("'", "")
    schema_editor.execute(
        "CREATE INDEX article_search_document ON articles_article USING gin ("
        + SEARCH_DOCUMENT.format(config=config)
        + ")"
    )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_search_document")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_articles_categories_tags_downloads"),
        ("accounts", "0002_create_roles"),
    ]

    operations = [
        migrations.RunPython(grant_coach_permissions, revoke_coach_permissions),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
