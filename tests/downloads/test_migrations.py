"""Moving Resource and DownloadRequest from articles to downloads keeps every row and grant."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Later migrations that depend on the articles after the move go back too.
BEFORE_THE_MOVE = [
    ("articles", "0002_coach_permissions_and_search_index"),
    ("downloads", None),
    ("subscriptions", None),
    ("questions", "0004_submission_key"),
    ("spam", "0006_fitted_classifier"),  # 0007 rebuilds examples from questions
]


def migrate(targets):
    """Migrate the test database to `targets`; the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    unmoved = {app for app, _name in targets}
    state_at = [node for node in targets if node[1]] + [
        node for node in executor.loader.graph.leaf_nodes() if node[0] not in unmoved
    ]
    return executor.loader.project_state(state_at, at_end=True).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_move_keeps_rows_links_and_the_coachs_permissions_and_can_be_undone():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate(BEFORE_THE_MOVE)
    author = old.get_model("accounts", "User").objects.create(email="coach@example.org")
    resource = old.get_model("articles", "Resource").objects.create(
        title="Knot routine", file="resources/knot.pdf", access="email"
    )
    old.get_model("articles", "DownloadRequest").objects.create(
        resource=resource, email="Maria@Example.org", consent_text="ok"
    )
    old.get_model("articles", "Article").objects.create(
        title="Knots",
        slug="knots",
        body="x",
        author=author,
        category=old.get_model("articles", "Category").objects.create(name="Back", path="back"),
        resource=resource,
    )
    old_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="articles", model="resource"
    )

    try:
        new = migrate(latest)

        Resource = new.get_model("downloads", "Resource")
        assert list(Resource.objects.values_list("pk", "title")) == [(resource.pk, "Knot routine")]
        assert list(
            new.get_model("downloads", "DownloadRequest").objects.values_list(
                "email", "resource__title"
            )
        ) == [("Maria@Example.org", "Knot routine")]
        assert new.get_model("articles", "Article").objects.get().resource.title == "Knot routine"
        moved_type = new.get_model("contenttypes", "ContentType").objects.get(pk=old_type.pk)
        assert (moved_type.app_label, moved_type.model) == ("downloads", "resource")
        coach = new.get_model("auth", "Group").objects.get(name="Coach")
        assert coach.permissions.filter(codename="change_resource").get().content_type_id == (
            old_type.pk
        )

        back = migrate(BEFORE_THE_MOVE)

        assert back.get_model("articles", "DownloadRequest").objects.get().resource.pk == (
            resource.pk
        )
        assert back.get_model("contenttypes", "ContentType").objects.get(
            pk=old_type.pk
        ).app_label == ("articles")
    finally:
        migrate(latest)
        ContentType.objects.clear_cache()
