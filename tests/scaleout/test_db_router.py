"""The router's rules, on both databases (the real replica is in test_replica.py)."""

import pytest
from django.db import router
from django.http import HttpResponse
from django.test import RequestFactory

from articles.models import Article
from painrelief.db_router import PIN_COOKIE, PIN_SALT, _just_wrote, replica_reads
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "articles", model_name="article")
    assert not router.allow_migrate("replica", "articles", model_name="article")


def test_without_a_request_reads_go_to_the_primary(settings):
    """The task worker, management commands and migrations pass no middleware."""
    settings.READ_REPLICA = "replica"

    assert router.db_for_read(Article) == "default"


def test_a_replica_read_request_reads_its_own_writes_from_the_primary(settings):
    settings.READ_REPLICA = "replica"

    with replica_reads():
        assert router.db_for_read(Article) == "replica"
        assert router.db_for_write(Article) == "default"
        assert router.db_for_read(Article) == "default"
    assert router.db_for_read(Article) == "default"


def test_without_a_replica_every_read_goes_to_the_primary(settings):
    settings.READ_REPLICA = None

    with replica_reads():
        assert router.db_for_read(Article) == "default"


def test_a_post_answer_pins_the_writer_and_a_get_sets_no_cookie(client, settings):
    settings.READ_REPLICA = "default"  # the router's rules without a second server
    CategoryFactory()

    posted = client.post("/robots.txt")
    read = client.get("/robots.txt")

    cookie = posted.cookies[PIN_COOKIE]
    assert cookie["max-age"] == settings.REPLICA_PIN_SECONDS
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert read.status_code == 200 and not read.cookies
    assert "Cookie" not in read.get("Vary", "")  # the router did not open a session


def test_without_a_replica_a_post_sets_no_pin(client, settings):
    settings.READ_REPLICA = None

    assert PIN_COOKIE not in client.post("/robots.txt").cookies


def test_only_a_cookie_we_signed_pins_a_visitor():
    pinned = HttpResponse()
    pinned.set_signed_cookie(PIN_COOKIE, "1", salt=PIN_SALT)
    signed = pinned.cookies[PIN_COOKIE].value
    genuine = RequestFactory(headers={"cookie": f"{PIN_COOKIE}={signed}"}).get("/")
    forged = RequestFactory(headers={"cookie": f"{PIN_COOKIE}=1:forged"}).get("/")

    assert _just_wrote(genuine)
    assert not _just_wrote(forged)
    assert not _just_wrote(RequestFactory().get("/"))
