"""Resource and DownloadRequest move here from articles, with their rows.

The state gains the two models; the database keeps its tables and renames them (the index
and the constraint have names of their own, without the app's; foreign keys follow a renamed
table on PostgreSQL and on SQLite 3.26+). The content types move too, so permissions (the
coach's included) and admin log entries follow. articles 0003 then drops the models from the
articles state.
"""

import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.db import migrations, models

import painrelief.downloads.storage

TABLES = {
    "resource": ("articles_resource", "downloads_resource"),
    "downloadrequest": ("articles_downloadrequest", "downloads_downloadrequest"),
}


def rename_tables(apps, schema_editor, *, backwards=False):
    for model_name, (old, new) in TABLES.items():
        if backwards:
            old, new = new, old
        schema_editor.alter_db_table(apps.get_model("articles", model_name), old, new)


def rename_tables_back(apps, schema_editor):
    rename_tables(apps, schema_editor, backwards=True)


def move_content_types(apps, schema_editor, *, from_label="articles", to_label="downloads"):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    for model_name in TABLES:
        moving = content_types.filter(app_label=from_label, model=model_name)
        if moving.exists():
            # A twin made meanwhile by post_migrate (when both states had the model) has no
            # grants or log entries worth keeping; the one moving has them.
            content_types.filter(app_label=to_label, model=model_name).delete()
            moving.update(app_label=to_label)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, from_label="downloads", to_label="articles")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0002_coach_permissions_and_search_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(rename_tables, rename_tables_back)],
            state_operations=[
                migrations.CreateModel(
                    name="Resource",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "file",
                            models.FileField(
                                storage=painrelief.downloads.storage.PrivateFileStorage(),
                                upload_to="resources/",
                                verbose_name="file",
                            ),
                        ),
                        (
                            "access",
                            models.CharField(
                                choices=[
                                    ("free", "Free download"),
                                    ("email", "Link sent by email"),
                                ],
                                default="free",
                                help_text="“Link sent by email” asks for an address and emails the download link to it, which confirms the address.",
                                max_length=10,
                                verbose_name="access",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                    ],
                    options={
                        "verbose_name": "downloadable resource",
                        "verbose_name_plural": "downloadable resources",
                        "ordering": ["title"],
                    },
                ),
                migrations.CreateModel(
                    name="DownloadRequest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("email", models.EmailField(max_length=254, verbose_name="email")),
                        ("consent_text", models.TextField(verbose_name="consent given")),
                        (
                            "requested_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="requested"
                            ),
                        ),
                        (
                            "confirmed_at",
                            models.DateTimeField(
                                blank=True,
                                help_text="When the emailed link was first used.",
                                null=True,
                                verbose_name="confirmed",
                            ),
                        ),
                        (
                            "resource",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="requests",
                                to="downloads.resource",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "download request",
                        "verbose_name_plural": "download requests",
                        "ordering": ["-requested_at"],
                        "indexes": [
                            models.Index(
                                django.db.models.functions.text.Lower("email"),
                                name="download_request_email",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                models.F("resource"),
                                django.db.models.functions.text.Lower("email"),
                                name="one_download_request_per_email",
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
