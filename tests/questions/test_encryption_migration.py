"""Migrations 0005, 0006 and 0007 encrypt the questions already stored, and can be undone."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from questions.models import Question

BEFORE = [("questions", "0004_submission_key")]
PLAIN = {
    "body": "My old case, stored before encryption.",
    "name": "Wilhelmina Oldrow",
    "email": "Wilhelmina@Oldrow.example",
    "ip_address": "198.51.100.23",
    "user_agent": "OldBrowser/1.0",
    "internal_notes": "An old note.",
    "answer": "An old draft answer.",
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets, at_end=True).apps


def raw(pk, column):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM questions_question WHERE id = %s",  # noqa: S608 (quoted name)
            [pk],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_questions_are_encrypted_and_decrypted_back():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate(BEFORE)
    OldQuestion = old.get_model("questions", "Question")
    public = OldQuestion.objects.create(
        title="Old public one",
        body="x",
        name="P",
        email="p@oldrow.example",
        status="answered",
        answer="Public words.",
        answer_text="Public words.",
        consent="approved",
        publication="anonymous",
        public_title="Old public",
        public_body="Public text.",
        answer_published_at="2026-01-02T03:04:05Z",
    )
    private = OldQuestion.objects.create(
        title="Old private one",
        answer_text="An old draft answer.",
        public_body="The case, copied as the draft public text.",
        **PLAIN,
    )

    try:
        migrate(latest)

        saved = Question.objects.get(pk=private.pk)
        for field, value in PLAIN.items():
            assert getattr(saved, field) == value, field
            assert value not in str(raw(private.pk, field)), field
        assert raw(private.pk, "answer_text") == ""
        assert raw(public.pk, "answer_text") == "Public words."
        assert saved.public_body == "The case, copied as the draft public text."
        assert "draft public text" not in raw(private.pk, "public_body")
        assert raw(private.pk, "public_body_text") == ""
        assert "Public text." not in raw(public.pk, "public_body")
        assert raw(public.pk, "public_body_text") == "Public text."
        assert Question.objects.with_email("wilhelmina@oldrow.example").get() == saved

        migrate(BEFORE)

        for field, value in PLAIN.items():
            assert raw(private.pk, field) == value, field
        assert raw(private.pk, "answer_text") == "An old draft answer."
        assert raw(private.pk, "public_body") == "The case, copied as the draft public text."
        assert raw(public.pk, "public_body") == "Public text."
    finally:
        migrate(latest)
