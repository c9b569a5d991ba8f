"""Playwright driving Debian's chromium against pytest-django's live server.

Mark browser tests with django_db(transaction=True, serialized_rollback=True): the live server
answers from another thread, so the data must be committed, and, as in every transactional test
(README, "Tests"), the serialized rollback puts back what the migrations created (the role
groups) that the flush after each test deletes.
"""

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.factories import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync API runs an event loop

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts")) / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000

call_report_key = pytest.StashKey[pytest.TestReport]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep the outcome of the test body, for the page fixture's teardown to read."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[call_report_key] = report


@dataclass
class BrowserLog:
    """What the browser reported while a test ran."""

    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def on_console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)
        elif message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '?')})")

    def on_page_error(self, error):
        self.page_errors.append(str(error))

    def problems(self) -> list[str]:
        """What fails a test: CSP violations and uncaught script errors."""
        return [f"CSP violation: {text}" for text in self.csp_violations] + [
            f"Uncaught page error: {text}" for text in self.page_errors
        ]

    def __str__(self):
        lines = [f"console error: {text}" for text in self.console_errors]
        return "\n".join([*self.problems(), *lines]) or "(nothing)"


@pytest.fixture(scope="session")
def playwright(django_db_setup):
    """Playwright's sync API, started after the test databases are set up and serialized.

    Between its calls the sync API leaves an event loop marked as running in this thread, so
    Django's connection handler (an asgiref Local) then hands out other connection objects,
    which lack the serialized content that serialized_rollback restores: the flush after each
    browser test would silently leave the database without the migrations' data (the role
    groups). Hand the serialized content over to those connections.
    """
    from django.db import connections

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def browser_log():
    return BrowserLog()


@pytest.fixture
def page(browser, live_server, browser_log, request, settings):
    """A tab in a fresh browser context; fails the test on a CSP violation or a script error.

    Links in emails point at the live server. On failure, saves a screenshot to
    test-artifacts/screenshots/<test name>.png (TEST_ARTIFACTS names another folder).
    """
    settings.SITE_URL = live_server.url
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", browser_log.on_console)
    page.on("pageerror", browser_log.on_page_error)

    yield page

    report = request.node.stash.get(call_report_key, None)
    problems = browser_log.problems()
    try:
        if problems or (report is not None and report.failed):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
            page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    finally:
        context.close()
    if browser_log.console_errors or problems:
        request.node.add_report_section("teardown", "browser log", str(browser_log))
    assert not problems, f"The browser reported, on {page.url}:\n" + "\n".join(problems)


@pytest.fixture
def new_page(page, browser, live_server, browser_log):
    """Open tabs in more fresh browser contexts: other visitors, or a browser without JavaScript.

    Keyword arguments are context options (java_script_enabled=False). The tabs report to the
    same browser log, which the `page` fixture checks once they are closed.
    """
    contexts = []

    def open_page(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        tab = context.new_page()
        tab.on("console", browser_log.on_console)
        tab.on("pageerror", browser_log.on_page_error)
        return tab

    yield open_page
    for context in contexts:
        context.close()


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def assert_accessible(page):
    """Run axe-core's WCAG 2 A and AA rules on the page; fail listing every violation.

    axe is injected with evaluate(), which the page's Content-Security-Policy does not cover.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(
        """async (tags) => (await axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        })).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(' ')),
        }))""",
        AXE_TAGS,
    )
    assert not violations, f"axe-core violations on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}; at " + ", ".join(v["targets"])
        for v in violations
    )


def submit_login_form(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def log_in(page, email, password=PASSWORD):
    """Log in through the login page and wait until the header shows the Log out button."""
    submit_login_form(page, email, password)
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out")
    ).to_be_visible()


def admin_log_in(page, user, password=PASSWORD):
    """Log in on the admin's login page and wait for the admin's "View site" link."""
    page.goto("/admin/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="View site")).to_be_visible()


def log_out(page):
    """Log out with the header's button and wait until the header offers to log in again."""
    header = page.get_by_role("navigation", name="Main")
    header.get_by_role("button", name="Log out").click()
    expect(header.get_by_role("link", name="Log in")).to_be_visible()
