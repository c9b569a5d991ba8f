"""The settings module, driven by environment variables, checked in fresh processes."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from painrelief.markdown import FRAME_SOURCES

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789-abcdefghij",
    "DJANGO_DEBUG": "false",
    "ALLOWED_HOSTS": "painrelief.example.org",
    "SITE_URL": "https://painrelief.example.org",
    "HTTPS": "true",
    "EMAIL_HOST": "smtp.example.org",
    "FIELD_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1rZXktZm9yLXRoZS10ZXN0cy1vbmw=",
}


def run(args, **env):
    inherited = {*PRODUCTION, "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, *args],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "painrelief.settings"} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def setting(name, **env):
    """The value of one setting as a fresh process with this environment sees it."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps(getattr(settings, {name!r}), default=str))"
    )
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_is_clean_with_production_variables():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_flags_a_console_mailer_when_no_smtp_host_is_set():
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_HOST"}

    result = run(["manage.py", "check", "--deploy"], **env)

    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_check_deploy_refuses_the_public_development_encryption_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "FIELD_ENCRYPTION_KEYS"}

    result = run(["manage.py", "check", "--deploy"], **env)
    without_deploy = run(["manage.py", "check"], **env)

    assert result.returncode != 0
    assert "painrelief.E001" in result.stderr and "FIELD_ENCRYPTION_KEYS" in result.stderr
    assert without_deploy.returncode == 0, without_deploy.stderr  # development works as it is


def test_a_malformed_encryption_key_stops_every_command():
    result = run(["manage.py", "check"], **PRODUCTION | {"FIELD_ENCRYPTION_KEYS": "too-short"})

    assert result.returncode != 0 and "painrelief.E002" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run(["manage.py", "check"], DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_refuses_to_start_without_the_site_address():
    env = {k: v for k, v in PRODUCTION.items() if k != "SITE_URL"}

    result = run(["manage.py", "check"], **env)

    assert result.returncode != 0
    assert "Set the SITE_URL environment variable" in result.stderr


def test_links_in_emails_use_the_site_address_without_a_trailing_slash():
    assert setting("SITE_URL", **(PRODUCTION | {"SITE_URL": "https://a.example/"})) == (
        "https://a.example"
    )
    assert setting("SITE_URL", DJANGO_DEBUG="true") == "http://127.0.0.1:8000"


def test_debug_is_off_unless_asked():
    assert setting("DEBUG", SECRET_KEY="x" * 50, SITE_URL="https://example.org") is False
    assert setting("DEBUG", DJANGO_DEBUG="true") is True


def test_sqlite_by_default_postgresql_with_database_url():
    assert setting("DATABASES", DJANGO_DEBUG="true")["default"]["ENGINE"].endswith("sqlite3")
    databases = setting(
        "DATABASES", DJANGO_DEBUG="true", DATABASE_URL="postgres://u:p@db.internal:5433/site"
    )
    assert databases["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert (databases["default"]["HOST"], databases["default"]["PORT"]) == ("db.internal", 5433)


def test_email_goes_to_the_console_by_default():
    mailers = setting("MAILERS", DJANGO_DEBUG="true")

    assert mailers["default"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_email_goes_to_smtp_when_configured():
    mailers = setting(
        "MAILERS",
        DJANGO_DEBUG="true",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="coach",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_TLS="true",
    )

    assert mailers["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailers["default"]["OPTIONS"] == {
        "host": "smtp.example.org",
        "port": 587,
        "username": "coach",
        "password": "secret",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 10,
    }


def test_https_turns_on_secure_cookies_redirect_and_hsts():
    env = PRODUCTION
    assert setting("SESSION_COOKIE_SECURE", **env) is True
    assert setting("CSRF_COOKIE_SECURE", **env) is True
    assert setting("SECURE_SSL_REDIRECT", **env) is True
    assert setting("SECURE_HSTS_SECONDS", **env) == 31536000


@pytest.mark.parametrize("keys", [{}, {"RECAPTCHA_PUBLIC_KEY": "only-one-key"}])
def test_without_recaptcha_keys_checks_pass_and_no_third_party_is_allowed(keys):
    result = run(["manage.py", "check", "--fail-level", "WARNING"], DJANGO_DEBUG="true", **keys)
    assert result.returncode == 0, result.stderr

    csp = setting("SECURE_CSP", DJANGO_DEBUG="true", **keys)
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-src"] == list(FRAME_SOURCES)  # the video players, and nothing else
    assert "django_recaptcha" not in setting("INSTALLED_APPS", DJANGO_DEBUG="true", **keys)


def test_with_recaptcha_keys_google_is_allowed_for_scripts_and_frames_only():
    keys = {"RECAPTCHA_PUBLIC_KEY": "site-key", "RECAPTCHA_PRIVATE_KEY": "secret-key"}

    result = run(["manage.py", "check", "--fail-level", "WARNING"], DJANGO_DEBUG="true", **keys)
    csp = setting("SECURE_CSP", DJANGO_DEBUG="true", **keys)

    assert result.returncode == 0, result.stderr
    assert "https://www.google.com" in csp["script-src"]
    assert csp["frame-src"] == [*FRAME_SOURCES, "https://www.google.com", "https://www.gstatic.com"]
    assert csp["connect-src"] == ["'self'"] and csp["img-src"] == ["'self'", "data:"]


def test_production_static_files_collect_and_are_served_with_hashed_names(tmp_path):
    env = PRODUCTION | {"STATIC_ROOT": str(tmp_path / "static"), "HTTPS": "false"}
    collected = run(["manage.py", "collectstatic", "--noinput", "-v", "0"], **env)
    assert collected.returncode == 0, collected.stderr

    code = (
        "import django; django.setup(); from django.test import Client; "
        "html = Client().get('/privacy/', HTTP_HOST='painrelief.example.org').text; "
        "import re; [print(url) for url in re.findall(r'/static/[^\"]+', html)]"
    )
    urls = run(["-c", code], **env).stdout.split()
    assert any(re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", url) for url in urls), urls

    fetch = (
        "import django; django.setup(); from django.test import Client; "
        f"r = Client().get({urls[0]!r}, HTTP_HOST='painrelief.example.org'); "
        "print(r.status_code, r.headers['Cache-Control'])"
    )
    assert run(["-c", fetch], **env).stdout.split(maxsplit=1) == [
        "200",
        "max-age=315360000, public, immutable\n",
    ]


def test_postgresql_connections_give_up_quickly_when_the_server_is_gone():
    databases = setting(
        "DATABASES", DJANGO_DEBUG="true", DATABASE_URL="postgres://u:p@db.internal:5433/site"
    )

    assert databases["default"]["OPTIONS"]["connect_timeout"] == 5


def test_the_folder_cache_keeps_more_entries_than_djangos_300(tmp_path):
    """At 300 (a site has more pages than that) each write deleted a third of the cache."""
    caches = setting("CACHES", CACHE_DIR=str(tmp_path), DJANGO_DEBUG="true")
    assert caches["default"]["OPTIONS"]["MAX_ENTRIES"] == 2000

    caches = setting(
        "CACHES", CACHE_DIR=str(tmp_path), CACHE_MAX_ENTRIES="500", DJANGO_DEBUG="true"
    )
    assert caches["default"]["OPTIONS"]["MAX_ENTRIES"] == 500
