"""Encrypts the private columns of the questions already stored, fills their email digests and
empties the search copy of answers that are not public; backwards, decrypts them again.

Raw SQL: the model's fields would try to decrypt the plain values they find.
"""

from django.db import migrations

from painrelief import encryption
from painrelief.markdown import render_markdown

ENCRYPTED = [
    "body",
    "name",
    "email",
    "ip_address",
    "user_agent",
    "answer",
    "answer_html",
    "internal_notes",
    "decline_message",
    "consent_text",
]
PUBLICITY = ["status", "answer_published_at", "consent", "publication"]
SEARCH_COPY = "answer_text"


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
    columns = ", ".join(quote(c) for c in ["id", *ENCRYPTED, *PUBLICITY, SEARCH_COPY])
    assignments = ", ".join(f"{quote(c)} = %s" for c in [*ENCRYPTED, "email_digest", SEARCH_COPY])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 (our own names)
        rows = cursor.fetchall()
        updates = []
        for pk, *values, search_copy in rows:
            fields = dict(zip(ENCRYPTED, values[: len(ENCRYPTED)], strict=True))
            public = _is_public(*values[len(ENCRYPTED) :])
            updates.append([*change_row(fields, public, search_copy), pk])
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s",  # noqa: S608 (quoted names)
            updates,
        )


def _context(name: str) -> str:
    return f"questions.question.{name}"


def encrypt_rows(apps, schema_editor):
    def change_row(fields, public, search_copy):
        plain = dict(fields)
        if plain["ip_address"]:
            # PostgreSQL's inet, cast to text, carries a netmask: 192.0.2.1/32.
            plain["ip_address"] = str(plain["ip_address"]).partition("/")[0]
        sealed = [
            encryption.encrypt(str(value), context=_context(name)) if value else value
            for name, value in plain.items()
        ]
        return [
            *sealed,
            encryption.email_digest(plain["email"] or ""),
            search_copy if public else "",
        ]

    _rewrite(schema_editor, change_row)


def decrypt_rows(apps, schema_editor):
    def change_row(fields, public, search_copy):
        plain = [
            encryption.decrypt(value, context=_context(name)) if value else value
            for name, value in fields.items()
        ]
        answer = plain[ENCRYPTED.index("answer")]
        # Before encryption every rendered answer had its plain text.
        return [*plain, "", search_copy or (render_markdown(answer).text if answer else "")]

    _rewrite(schema_editor, change_row)


class Migration(migrations.Migration):
    dependencies = [("questions", "0005_encrypt_private_fields")]

    operations = [migrations.RunPython(encrypt_rows, decrypt_rows)]
