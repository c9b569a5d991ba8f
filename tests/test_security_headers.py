"""Permissions-Policy on every response, and CSP violations reported to our endpoint, logged."""

import json
import logging

import pytest
from django.urls import reverse

from painrelief.markdown import FRAME_SOURCES
from painrelief.security import REPORT_MAX_BYTES, REPORTS_PER_IP_PER_MINUTE
from questions import links as question_links
from tests.factories import ArticleFactory, QuestionFactory, UserFactory, coach

pytestmark = pytest.mark.django_db

TURNED_OFF = (
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "browsing-topics",
    "interest-cohort",
)


def policy_of(response) -> dict[str, str]:
    """Permissions-Policy as {feature: allow-list}, e.g. {"camera": ""}."""
    features = {}
    for item in response.headers["Permissions-Policy"].split(","):
        name, _, allowed = item.strip().partition("=")
        assert allowed.startswith("(") and allowed.endswith(")"), item
        features[name] = allowed[1:-1]
    return features


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/articles/feed/",
        "/healthz",
        "/accounts/login/",
        "/admin/login/",
        "/no-such-page/",
        "/static/css/site.css",
    ],
)
def test_every_response_turns_off_the_features_no_page_uses(client, path):
    response = client.get(path)

    policy = policy_of(response)
    for feature in TURNED_OFF:
        assert policy[feature] == "", feature


def test_fullscreen_is_allowed_to_the_pages_and_the_embedded_video_players_only(client):
    """The player static/js/video.js puts in asks for fullscreen (and autoplay, left alone)."""
    article = ArticleFactory(body="https://www.youtube.com/watch?v=dQw4w9WgXcQ\n")

    response = client.get(article.get_absolute_url())

    assert 'data-player="https://www.youtube-nocookie.com/embed/' in response.text
    allowed = policy_of(response)["fullscreen"].split()
    assert allowed == ["self", *(f'"{origin}"' for origin in FRAME_SOURCES)]


def test_the_csp_reports_to_our_endpoint(client):
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["report-uri"] == reverse("csp-report")


# --- The report endpoint ---------------------------------------------------------------------

LEGACY_REPORT = {
    "csp-report": {
        "document-uri": "http://testserver/articles/knots/?utm_source=mail#comments",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'",
        "disposition": "enforce",
        "blocked-uri": "https://evil.example/x.js?session=abc",
        "status-code": 200,
        "script-sample": "alert(document.cookie)",
    }
}
REPORTING_API_REPORTS = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "http://testserver/questions/",
        "user_agent": "Mozilla/5.0",
        "body": {
            "documentURL": "http://testserver/questions/",
            "blockedURL": "inline",
            "effectiveDirective": "script-src-elem",
            "disposition": "enforce",
            "sample": "alert(1)",
            "statusCode": 200,
        },
    },
    {
        "type": "csp-violation",
        "age": 12,
        "url": "http://testserver/articles/",
        "body": {
            "documentURL": "http://testserver/articles/",
            "blockedURL": "data:text/html,<script>alert(1)</script>",
            "effectiveDirective": "frame-src",
            "disposition": "enforce",
        },
    },
    {"type": "deprecation", "url": "http://testserver/", "body": {"id": "x"}},
]


def logged(caplog) -> list[str]:
    """What the endpoint logged (Django's request logger also warns of every 4xx answer)."""
    return [r.getMessage() for r in caplog.records if r.name == "painrelief.security"]


def post_report(client, data, content_type="application/csp-report", **extra):
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(reverse("csp-report"), body, content_type=content_type, **extra)


def test_a_report_uri_violation_is_logged_at_warning_without_query_or_sample(client, caplog):
    with caplog.at_level(logging.WARNING, logger="painrelief.security"):
        response = post_report(client, LEGACY_REPORT)

    assert response.status_code == 204
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage() == (
        "CSP violation: script-src-elem blocked https://evil.example/x.js "
        "on /articles/knots/ (enforce)"
    )


def test_reporting_api_batches_log_each_csp_violation_and_ignore_other_reports(client, caplog):
    with caplog.at_level(logging.WARNING, logger="painrelief.security"):
        response = post_report(client, REPORTING_API_REPORTS, "application/reports+json")

    assert response.status_code == 204
    assert logged(caplog) == [
        "CSP violation: script-src-elem blocked inline on /questions/ (enforce)",
        "CSP violation: frame-src blocked data on /articles/ (enforce)",
    ]


def test_a_report_needs_no_csrf_token_nor_cookie(client):
    client.handler.enforce_csrf_checks = True

    assert post_report(client, LEGACY_REPORT).status_code == 204


def test_the_secret_of_a_private_link_is_not_logged(client, caplog):
    question = QuestionFactory()
    private = question_links.private_path(question)
    token = private.rstrip("/").rsplit("/", 1)[1]
    report = {"csp-report": {**LEGACY_REPORT["csp-report"], "document-uri": private}}

    with caplog.at_level(logging.WARNING, logger="painrelief.security"):
        post_report(client, report)

    [record] = caplog.records
    assert token not in record.getMessage()
    assert "/questions/private/<token>/" in record.getMessage()


def test_a_report_cannot_write_lines_of_its_own_into_the_log(client, caplog):
    report = {
        "csp-report": {
            "effective-directive": "script-src\nCRITICAL forged line",
            "blocked-uri": "inline\r\nERROR another",
            "document-uri": "/",
        }
    }
    with caplog.at_level(logging.WARNING, logger="painrelief.security"):
        post_report(client, report)

    assert "\n" not in caplog.records[0].getMessage()
    assert "\r" not in caplog.records[0].getMessage()


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"not json", "application/csp-report", 400),
        (b"[1, 2]", "application/reports+json", 400),
        (b'{"csp-report": "no"}', "application/csp-report", 400),
        (b'{"a": 1}', "text/plain", 415),
        (b"x" * (REPORT_MAX_BYTES + 1), "application/csp-report", 413),
    ],
)
def test_what_is_no_report_is_refused_and_not_logged(client, caplog, body, content_type, status):
    with caplog.at_level(logging.WARNING, logger="painrelief.security"):
        response = post_report(client, body, content_type)

    assert response.status_code == status
    assert not logged(caplog)


def test_reports_are_limited_per_address(client, caplog):
    for _ in range(REPORTS_PER_IP_PER_MINUTE):
        assert post_report(client, LEGACY_REPORT).status_code == 204
    other_address = post_report(client, LEGACY_REPORT, REMOTE_ADDR="192.0.2.7")
    caplog.clear()

    with caplog.at_level(logging.WARNING, logger="painrelief.security"):
        over = post_report(client, LEGACY_REPORT)

    assert over.status_code == 429
    assert not logged(caplog)
    assert other_address.status_code == 204


def test_only_post_is_accepted(client):
    assert client.get(reverse("csp-report")).status_code == 405


@pytest.mark.parametrize("who", ["visitor", "reader", "coach"])
def test_the_endpoint_answers_alike_whoever_posts(client, who):
    if who != "visitor":
        client.force_login(coach() if who == "coach" else UserFactory())

    assert post_report(client, LEGACY_REPORT).status_code == 204
