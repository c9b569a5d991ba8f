"""REDIS_URL: the cache, the rate limits and the sessions in one Redis shared by every server."""

import concurrent.futures
import json
import socket

import pytest
import redis
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

from painrelief.sessions.cached_db import SessionStore
from tests.comments.conftest import GUEST, form_stamp
from tests.factories import PASSWORD, ArticleFactory, UserFactory

from .servers import configured, in_fresh_process, server_url, unique

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def redis_url():
    return server_url("TEST_REDIS_URL")


@pytest.fixture(scope="module")
def redis_settings(redis_url):
    return configured(["CACHES", "SESSION_ENGINE"], REDIS_URL=redis_url)


@pytest.fixture
def on_redis(settings, redis_url, redis_settings):
    """The site on Redis, as REDIS_URL configures it, under a key prefix of its own; the
    Redis client to look inside."""
    prefix = unique("test")
    caches = redis_settings["CACHES"]
    caches["default"]["KEY_PREFIX"] = prefix
    settings.CACHES = caches
    settings.SESSION_ENGINE = redis_settings["SESSION_ENGINE"]
    client = redis.Redis.from_url(redis_url)
    client.prefix = prefix
    yield client
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


def test_without_redis_url_the_cache_and_sessions_stay_embedded():
    embedded = configured(["CACHES", "SESSION_ENGINE"])

    assert embedded["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert embedded["SESSION_ENGINE"] == "painrelief.sessions"


def test_redis_url_puts_the_cache_and_sessions_on_redis(redis_settings, redis_url):
    assert redis_settings["CACHES"]["default"]["BACKEND"] == (
        "django.core.cache.backends.redis.RedisCache"
    )
    assert redis_settings["CACHES"]["default"]["LOCATION"] == redis_url
    assert redis_settings["SESSION_ENGINE"] == "painrelief.sessions.cached_db"


def test_counts_from_two_processes_add_up_to_one_count_that_expires(on_redis, redis_url):
    """Two servers counting the same event at once: every event gets its own number."""
    code = (
        "import json; from painrelief.counters import count_event\n"
        "print(json.dumps([count_event('burst', window_seconds=60) for _ in range(150)]))"
    )
    env = {"REDIS_URL": redis_url, "CACHE_KEY_PREFIX": on_redis.prefix}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        outputs = list(pool.map(lambda _: in_fresh_process(code, **env), range(2)))
    counts = [n for output in outputs for n in json.loads(output)]

    assert sorted(counts) == list(range(1, 301))
    assert cache.get("burst") == 300
    assert 0 < on_redis.ttl(cache.make_key("burst")) <= 60


def test_a_window_that_ends_between_add_and_incr_starts_a_new_count(on_redis, monkeypatch):
    """The count expires just after `add` found it: the event opens the next window (on any
    backend `incr` would raise, a 500), and the new count expires too."""
    from painrelief.counters import count_event

    assert count_event("burst", window_seconds=60) == 1
    real_add, expired = cache.add, []

    def add_then_expire(key, *args, **kwargs):
        added = real_add(key, *args, **kwargs)
        if not expired:
            expired.append(on_redis.delete(cache.make_key(key)))
        return added

    monkeypatch.setattr(caches["default"], "add", add_then_expire)

    assert count_event("burst", window_seconds=60) == 1
    assert expired == [1]
    assert 0 < on_redis.ttl(cache.make_key("burst")) <= 60


def test_the_comment_rate_limit_counts_posts_to_every_server_in_redis(
    client, on_redis, redis_url, settings
):
    settings.SPAM_RATE_LIMIT_PER_HOUR = 3
    article = ArticleFactory()
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})

    def post(n):
        data = GUEST | {"email": f"guest{n}@example.net", "body": f"Day {n} of the stretches."}
        client.post(url, data | {"form_stamp": form_stamp()})
        return article.comments.latest("pk").reason_codes

    first_two = [post(n) for n in range(2)]
    # A third post from the same address reaches another server.
    other_server = in_fresh_process(
        "from painrelief.spam import defence\n"
        "reasons = defence.rate_layer(defence.Submission(text='', email=''),"
        " defence.Context(kind='comment', ip='127.0.0.1'))\n"
        "print([r.code for r in reasons])",
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=on_redis.prefix,
        SPAM_RATE_LIMIT_PER_HOUR="3",
    )
    fourth = post(3)

    assert all("rate" not in codes for codes in first_two)
    assert other_server.strip() == "[]"
    assert "rate" in fourth
    [ip_key] = on_redis.keys(f"{on_redis.prefix}:*spam:rate:comment:IP:*")
    assert int(on_redis.get(ip_key)) == 4


def test_a_login_is_kept_in_redis_and_written_through_to_the_database(client, on_redis):
    user = UserFactory(email="tomas@example.org")
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    session_key = client.cookies["sessionid"].value
    in_redis = f"{on_redis.prefix}:1:django.contrib.sessions.cached_db{session_key}"
    profile = reverse("accounts:profile")

    assert on_redis.exists(in_redis)
    assert client.get(profile).status_code == 200

    on_redis.delete(in_redis)  # Redis restarted: the database still has the session
    assert client.get(profile).status_code == 200
    assert on_redis.exists(in_redis)  # read again into Redis

    Session.objects.all().delete()  # while it is in Redis, the database is not read
    assert client.get(profile).status_code == 200


def test_a_session_key_with_a_nul_names_no_session_in_redis_either(on_redis):
    assert SessionStore("a" * 31 + "\x00").session_key is None


def test_healthz_checks_redis_and_fails_when_it_is_unreachable(client, on_redis, settings):
    assert client.get("/healthz").json()["cache"] == "ok"

    with socket.socket() as closed:  # bound, never listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        unreachable = f"redis://127.0.0.1:{closed.getsockname()[1]}/0"
        settings.CACHES = {"default": settings.CACHES["default"] | {"LOCATION": unreachable}}
        response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json()["cache"] == "failing"
