import os
import time

import pytest
from django.conf import settings
from django.db import connection, connections, transaction


@pytest.fixture(scope="module")
def _replica_configured():
    """The replica that scripts/run-tests streams from the test server; its tests fail in CI
    without it (they skip on SQLite, which has no replica, or outside CI without one)."""
    if "replica" in settings.DATABASES:
        return
    if not os.environ.get("TEST_DATABASE_REPLICA_URL"):
        message = "TEST_DATABASE_REPLICA_URL is not set: scripts/run-tests starts the replica"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    pytest.skip(f"the replica streams a PostgreSQL primary; this run is on {connection.vendor}")


def wait_for_replay(timeout: float = 10) -> None:
    """Until the replica has replayed everything the primary committed (a bounded poll)."""
    # The test server commits without waiting for its WAL to reach the disk (synchronous_commit
    # off), and streams only what is on disk: one commit that writes and waits flushes all
    # before it (a commit that wrote nothing would not wait).
    with transaction.atomic(using="default"), connections["default"].cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = on")
        cursor.execute("SELECT pg_logical_emit_message(true, 'painrelief-tests', 'flush')")
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_flush_lsn()")
        (written,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    with connections["replica"].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                pytest.fail(f"the replica has not replayed {written} after {timeout} s")
            time.sleep(0.01)


@pytest.fixture
def replica(_replica_configured, settings):
    """Anonymous reads go to the real replica, caught up with the primary (the tests are
    transactional: replication sees only what is committed)."""
    settings.READ_REPLICA = "replica"
    wait_for_replay()
    yield connections["replica"]
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    wait_for_replay()


def pause_replay(replica) -> None:
    """The replica stops applying the primary's changes: it lags, as under load."""
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + 10
        while True:
            cursor.execute("SELECT pg_get_wal_replay_pause_state()")
            if cursor.fetchone()[0] == "paused":
                return
            assert time.monotonic() < deadline, "the replica did not pause"
            time.sleep(0.01)


def resume_replay(replica) -> None:
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    wait_for_replay()
