"""The public text is encrypted as the case is (prefilled from the case, it holds the case until
the coach edits it), with a plain copy for the site search kept only while the question is
public; backwards, decrypted again.

Raw SQL: the model's field would try to decrypt the plain values it finds.
"""

from django.db import migrations, models

import painrelief.encryption
from painrelief import encryption

CONTEXT = "questions.question.public_body"
PUBLICITY = ["status", "answer_published_at", "consent", "publication"]


def _is_public(status, answer_published_at, consent, publication) -> bool:
    return (
        status == "answered"
        and answer_published_at is not None
        and consent == "approved"
        and publication != "private"
    )


def _rewrite(schema_editor, change_row):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote("questions_question")
    columns = ", ".join(quote(c) for c in ["id", "public_body", *PUBLICITY])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 (our own names)
        updates = [
            [*change_row(public_body, _is_public(*publicity)), pk]
            for pk, public_body, *publicity in cursor.fetchall()
        ]
        cursor.executemany(
            f"UPDATE {table} SET {quote('public_body')} = %s, "  # noqa: S608 (quoted names)
            f"{quote('public_body_text')} = %s WHERE {quote('id')} = %s",
            updates,
        )


def encrypt_public_bodies(apps, schema_editor):
    def change_row(plain, public):
        sealed = encryption.encrypt(plain, context=CONTEXT) if plain else plain
        return [sealed, plain if public else ""]

    _rewrite(schema_editor, change_row)


def decrypt_public_bodies(apps, schema_editor):
    def change_row(sealed, public):
        return [encryption.decrypt(sealed, context=CONTEXT) if sealed else sealed, ""]

    _rewrite(schema_editor, change_row)


class Migration(migrations.Migration):
    dependencies = [("questions", "0006_encrypt_existing_questions")]

    operations = [
        migrations.AddField(
            model_name="question",
            name="public_body_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(encrypt_public_bodies, decrypt_public_bodies),
        migrations.AlterField(
            model_name="question",
            name="public_body",
            field=painrelief.encryption.EncryptedTextField(
                blank=True,
                help_text=(
                    "The case as it would be published, identifying details removed. The asker "
                    "approves this exact text."
                ),
                verbose_name="public text of the question",
            ),
        ),
    ]
