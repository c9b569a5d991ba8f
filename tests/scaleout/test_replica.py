"""The read replica, against a real PostgreSQL streaming standby (scripts/run-tests makes it
with pg_basebackup): anonymous pages are read from it, writes and a writer's next pages from
the primary, so the replica's lag never hides anyone's own comment.

Pausing the standby's replay makes the lag visible: a page that shows a row the replica has
not seen yet was read from the primary, and one that does not, from the replica."""

import socket

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from painrelief import db_router
from painrelief.comments.models import Comment
from painrelief.db_router import PIN_COOKIE
from tests.comments.conftest import GUEST, form_stamp
from tests.factories import ArticleFactory, UserFactory

from .conftest import pause_replay, resume_replay

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "replica"]
    ),
    # One standby streams every worker's database: pausing its replay for one test must not
    # pause it under another's, so these run one after another on one worker.
    pytest.mark.xdist_group("replica"),
]


def comment_url(article):
    return reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})


def test_the_replica_is_a_streaming_standby_of_the_primary(replica):
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (False,)


def test_an_anonymous_page_is_read_from_the_replica_only(replica):
    article = ArticleFactory()
    resume_replay(replica)

    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(replica) as on_replica,
    ):
        response = Client().get(article.get_absolute_url())

    assert response.status_code == 200 and article.title in response.text
    assert len(on_replica) > 0
    assert [query["sql"] for query in on_primary] == []


def test_a_visitor_reads_what_the_replica_has_replayed(replica):
    """An article published while the replica lags is not there for anonymous visitors yet."""
    pause_replay(replica)
    article = ArticleFactory()

    assert Client().get(article.get_absolute_url()).status_code == 404

    resume_replay(replica)
    assert Client().get(article.get_absolute_url()).status_code == 200


def test_a_signed_in_reader_reads_from_the_primary(replica):
    reader = UserFactory()
    pause_replay(replica)
    article = ArticleFactory()
    client = Client()
    client.force_login(reader)

    with CaptureQueriesContext(replica) as on_replica:
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert len(on_replica) == 0


def test_a_guest_sees_their_comment_at_once_while_the_replica_lags(replica, settings):
    """The comment is written to the primary; the answer pins its author to the primary for a
    few seconds (a signed cookie), so the page after the post shows it; a visitor without
    that cookie reads the lagging replica, and sees it once the replica has replayed it."""
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = False
    article = ArticleFactory()
    resume_replay(replica)
    pause_replay(replica)
    guest, other_visitor = Client(), Client()

    posted = guest.post(comment_url(article), {**GUEST, "form_stamp": form_stamp()})

    assert posted.status_code == 302
    assert posted.cookies[PIN_COOKIE]["max-age"] == settings.REPLICA_PIN_SECONDS
    (comment,) = Comment.objects.all()  # on the primary
    assert comment.status == Comment.Status.APPROVED
    assert GUEST["body"] in guest.get(posted["Location"]).text
    assert GUEST["body"] not in other_visitor.get(article.get_absolute_url()).text

    resume_replay(replica)
    assert GUEST["body"] in other_visitor.get(article.get_absolute_url()).text


def test_an_anonymous_page_sets_no_cookie_with_a_replica(replica):
    article = ArticleFactory()
    resume_replay(replica)

    response = Client().get(article.get_absolute_url())

    assert PIN_COOKIE not in response.cookies


def test_healthz_checks_the_replica(replica, client):
    assert client.get("/healthz").json()["replica"] == "ok"

    settings_dict = replica.settings_dict
    port = settings_dict["PORT"]
    replica.close()
    settings_dict["PORT"] = "1"  # nothing listens there: the replica is down
    try:
        response = client.get("/healthz")
    finally:
        replica.close()
        settings_dict["PORT"] = port

    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "queue": "ok",
        "replica": "failing",
    }


@pytest.fixture
def replica_down(replica):
    """The replica's address points at a port where nothing listens, as if its server stopped
    (then at the primary's, as if it were back: the same rows)."""
    saved = replica.settings_dict["PORT"]
    replica.close()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nothing_listens = probe.getsockname()[1]
    replica.settings_dict["PORT"] = str(nothing_listens)
    yield replica
    replica.close()
    replica.settings_dict["PORT"] = saved
    db_router._replica_down_until = 0.0


def test_when_the_replica_is_down_pages_come_from_the_primary(replica_down, settings, caplog):
    article = ArticleFactory()
    settings.REPLICA_RETRY_SECONDS = 60

    with CaptureQueriesContext(connections["default"]) as on_primary:
        first = Client().get(article.get_absolute_url())
    with CaptureQueriesContext(connections["default"]) as next_on_primary:
        second = Client().get(article.get_absolute_url() + "?page=1")

    assert first.status_code == second.status_code == 200
    assert article.title in first.text and article.title in second.text
    assert len(on_primary) > 0 and len(next_on_primary) > 0
    # Once: the next request did not try the replica again.
    assert len([r for r in caplog.records if "read replica failed" in r.getMessage()]) == 1


def test_the_replica_is_tried_again_after_the_retry_period(replica_down, settings):
    article = ArticleFactory()
    settings.REPLICA_RETRY_SECONDS = 0
    assert Client().get(article.get_absolute_url()).status_code == 200

    replica_down.close()
    replica_down.settings_dict["PORT"] = connections["default"].settings_dict["PORT"]
    with CaptureQueriesContext(replica_down) as on_replica:
        assert Client().get(article.get_absolute_url()).status_code == 200
    assert len(on_replica) > 0
