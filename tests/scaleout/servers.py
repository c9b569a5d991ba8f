"""The real servers of a deployment on several machines: Redis and an S3-compatible server.

scripts/run-tests starts both on 127.0.0.1 and names them in TEST_REDIS_URL and
TEST_S3_ENDPOINT_URL. Only these tests use them: the rest of the suite keeps the embedded
defaults. Under CI a missing server fails the tests; elsewhere they are skipped, saying why.
"""

import json
import os
import uuid

import pytest

from tests.test_settings import run

# The variables of the settings module these tests set; left empty unless a test sets them.
SCALEOUT_VARIABLES = [
    "REDIS_URL",
    "CACHE_KEY_PREFIX",
    "S3_BUCKET",
    "S3_PRIVATE_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_CUSTOM_DOMAIN",
    "S3_MEDIA_ACL",
]


def server_url(variable: str) -> str:
    url = os.environ.get(variable, "")
    if url:
        return url
    message = f"{variable} is not set: scripts/run-tests starts the server and sets it"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


def fresh_environment(**env) -> dict:
    """Only these scale-out variables, for a development process (no production secrets)."""
    return dict.fromkeys(SCALEOUT_VARIABLES, "") | {"DJANGO_DEBUG": "true"} | env


def configured(names: list[str], **env) -> dict:
    """Settings as the settings module makes them from these variables, in a fresh process."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    result = run(["-c", code], **fresh_environment(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def in_fresh_process(code: str, **env):
    """Run `code` after django.setup() in another process (another server), with these
    variables; its standard output."""
    result = run(["-c", f"import django; django.setup()\n{code}"], **fresh_environment(**env))
    assert result.returncode == 0, result.stderr
    return result.stdout


def unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:12]}"
