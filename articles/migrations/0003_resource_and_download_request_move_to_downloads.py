"""Resource and DownloadRequest now live in painrelief.downloads (see its 0001, which renamed
the tables): the article's offered download points there, and articles forgets both models.
State only: the column and its foreign key stay as they are in the database.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_coach_permissions_and_search_index"),
        ("downloads", "0001_resources_and_requests_from_articles"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="resource",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Offered at the end of the article.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="articles",
                        to="downloads.resource",
                        verbose_name="offered download",
                    ),
                ),
                migrations.DeleteModel(name="DownloadRequest"),
                migrations.DeleteModel(name="Resource"),
            ]
        ),
    ]
