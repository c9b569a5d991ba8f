"""/healthz, for a load balancer: the database, the cache and the task queue."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from painrelief.mail.outbox import deliver_later
from tests.test_outage import database_down

pytestmark = pytest.mark.django_db


def test_a_healthy_site_answers_200(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "queue": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_without_its_database_the_site_is_unhealthy():
    with database_down():
        response = Client(raise_request_exception=False).get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "failing"


def test_a_task_left_waiting_means_no_worker_is_running(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    deliver_later.enqueue(1)
    assert client.get("/healthz").status_code == 200  # just queued: the worker has time

    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))

    assert client.get("/healthz").json()["queue"] == "failing"


def test_a_failing_cache_makes_the_site_unhealthy(client, settings, tmp_path):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("")  # the cache cannot create its folder there: every set fails
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(not_a_folder),
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "failing", "queue": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_without_a_replica_healthz_does_not_mention_one(client, settings):
    settings.READ_REPLICA = None

    assert "replica" not in client.get("/healthz").json()
