"""The suite's rule for transactional tests (README, "Tests"): each restores the migrated
database, so that no test depends on which transactional tests ran before it."""

import pytest

from tests.conftest import flushes_without_restoring


class CollectedTest:
    """What the rule reads of a collected test: its django_db mark and its fixtures."""

    def __init__(self, mark=None, fixturenames=()):
        self.mark = mark.mark if mark else None
        self.fixturenames = fixturenames

    def get_closest_marker(self, name):
        return self.mark if name == "django_db" else None


@pytest.mark.parametrize(
    ("test", "refused"),
    [
        (CollectedTest(pytest.mark.django_db(transaction=True)), True),
        (CollectedTest(pytest.mark.django_db(True)), True),
        (CollectedTest(pytest.mark.django_db(reset_sequences=True)), True),
        (CollectedTest(fixturenames=("live_server",)), True),
        (CollectedTest(fixturenames=("transactional_db",)), True),
        (CollectedTest(pytest.mark.django_db(transaction=True, serialized_rollback=True)), False),
        (
            CollectedTest(
                pytest.mark.django_db(transaction=True),
                fixturenames=("django_db_serialized_rollback",),
            ),
            False,
        ),
        (CollectedTest(pytest.mark.django_db), False),
        (CollectedTest(), False),
    ],
)
def test_a_transactional_test_that_does_not_restore_the_database_is_refused(test, refused):
    assert flushes_without_restoring(test) is refused
