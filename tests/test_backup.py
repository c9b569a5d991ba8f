"""Backup and restore (README, "Backup and restore"): scripts/backup's dump, restored by
scripts/restore into a fresh database, holds everything the site had."""

import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from painrelief.spam import classifier
from painrelief.spam.defence import Submission
from painrelief.spam.models import FeatureStat
from tests.factories import ArticleFactory, CommentFactory, QuestionFactory

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_dump and pg_restore are PostgreSQL's tools (an SQLite site is one file)",
    ),
    # pg_dump reads the database from its own connection: the rows must be committed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def url_of(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}"


def contents(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of all its rows' text."""
    with psycopg.connect(url) as db:
        tables = db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
        digest = "md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), ''))"
        return {
            table: db.execute(f'SELECT count(*), {digest} FROM "{table}" t').fetchone()  # noqa: S608 (names from the catalogue)
            for (table,) in tables
        }


def test_a_dump_restored_into_a_fresh_database_has_every_row_and_file(tmp_path, settings):
    article = ArticleFactory(body="## Heat first\n\nThen gentle movement, **twice a day**.")
    parent = CommentFactory(target=article, body="The stretch for the neck helped me.")
    CommentFactory(target=article, parent=parent, body="Same here, after a week.", status="pending")
    QuestionFactory(title="Numb fingers at night", email="asker@example.net")
    QuestionFactory(public=True)
    classifier.learn([Submission(text="Cheap pills, best price, click now")], label="spam")
    classifier.learn([Submission(text="My shoulder feels looser every day")], label="ham")
    media, private = tmp_path / "media", tmp_path / "private-media"
    (media / "avatars").mkdir(parents=True)
    (media / "avatars" / "ruth-64.webp").write_bytes(b"RIFF-avatar")
    private.mkdir()
    (private / "report.pdf").write_bytes(b"%PDF-1.7 private report")
    before = contents(url_of(connection.settings_dict["NAME"]))
    fresh = f"{connection.settings_dict['NAME']}_restored"
    admin = url_of("postgres")
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        db.execute(f'CREATE DATABASE "{fresh}"')
    try:
        backup = tmp_path / "backup"
        env = {
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": url_of(connection.settings_dict["NAME"]),
            "MEDIA_ROOT": str(media),
            "PRIVATE_MEDIA_ROOT": str(private),
        }
        subprocess.run([ROOT / "scripts" / "backup", backup], env=env, check=True)  # noqa: S603 (our script)
        restored_media, restored_private = tmp_path / "new-media", tmp_path / "new-private"
        env |= {
            "DATABASE_URL": url_of(fresh),
            "MEDIA_ROOT": str(restored_media),
            "PRIVATE_MEDIA_ROOT": str(restored_private),
        }
        subprocess.run([ROOT / "scripts" / "restore", backup], env=env, check=True)  # noqa: S603 (our script)

        after = contents(url_of(fresh))
        with psycopg.connect(url_of(fresh)) as db:
            next_comment = db.execute(
                "SELECT nextval(pg_get_serial_sequence('comments_comment', 'id'))"
            ).fetchone()[0]
            body = db.execute("SELECT body FROM articles_article").fetchone()[0]
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{fresh}"')

    assert after == before
    assert after["articles_article"][0] == 1
    assert after["comments_comment"][0] == after["questions_question"][0] == 2
    assert after["spam_featurestat"][0] == FeatureStat.objects.count() > 0
    assert body == article.body
    assert next_comment > parent.pk + 1  # new comments get new ids, not the restored ones'
    assert (restored_media / "avatars" / "ruth-64.webp").read_bytes() == b"RIFF-avatar"
    assert (restored_private / "report.pdf").read_bytes() == b"%PDF-1.7 private report"
