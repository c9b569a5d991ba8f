import io

import pytest
from pytest_django.fixtures import validate_django_db


def flushes_without_restoring(item: pytest.Item) -> bool:
    """Whether a test is transactional (its data committed, the database flushed after it)
    without serialized_rollback, which puts back what the migrations made."""
    marker = item.get_closest_marker("django_db")
    transaction, reset_sequences, _, serialized_rollback, _ = (
        validate_django_db(marker) if marker else (False, False, None, False, None)
    )
    fixtures = getattr(item, "fixturenames", ())
    transactional = (
        transaction
        or reset_sequences
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )
    restoring = serialized_rollback or "django_db_serialized_rollback" in fixtures
    return transactional and not restoring


def pytest_collection_modifyitems(items):
    """Refuse to run a transactional test that does not restore the migrated database.

    Its flush makes the content types and permissions again (post_migrate) under new ids, and
    every restoring test after it then fails to load the copy taken after the migrations: the
    suite would pass or fail with the order of its tests (README, "Tests").
    """
    flushing = [item.nodeid for item in items if flushes_without_restoring(item)]
    if flushing:
        raise pytest.UsageError(
            "Transactional tests must restore the migrated database: mark them "
            "django_db(transaction=True, serialized_rollback=True):\n  " + "\n  ".join(flushing)
        )


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Fast password hashing, uploads in a temporary folder, and a fresh cache for each test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def starter_totals() -> tuple[int, int]:
    """How many spam and ham rows the starter corpus has."""
    from painrelief.spam.corpus import STARTER, read_examples

    starter = read_examples(STARTER)
    return tuple(sum(e.label == label for e in starter) for label in ("spam", "ham"))


@pytest.fixture
def starter_filter(db, starter_totals):
    """The spam filter as installed: the starter corpus learned, as the migrations and `spam
    reset` leave it. The spam tables are left out of the serialized copy (TEST_NON_SERIALIZED_APPS),
    so a transactional test's flush empties them: only then is the corpus learned again (a few
    seconds); a plain test still finds what the migrations learned."""
    from django.core.management import call_command

    from painrelief.spam import classifier, regression

    if classifier.totals() != starter_totals or regression.current() is None:
        call_command("spam", "reset", stdout=io.StringIO())
