"""The benchmark of `make bench`: the site's public pages under load, as ratios to the floor.

`manage.py bench` runs this against a server that scripts/bench started (gunicorn, DEBUG off)
on the database it seeded. Each page is driven by wrk for a few seconds; posting a comment by
a small client of our own (each post is a real, distinct submission with the form's CSRF token
and stamp, judged by the whole spam defence). Queries per request are counted in a separate
pass, in this process, against the same database.
"""

import itertools
import json
import math
import os
import queue
import secrets
import statistics
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from painrelief import pagecache
from painrelief.comments.models import Comment
from questions.models import Question

WRK_SUMMARY = Path(__file__).with_name("wrk_summary.lua")
# What wrk asks for: the page cache keeps this copy apart from the uncompressed one.
WRK_ACCEPT_ENCODING = "gzip"
# The targets (11), as shares of the floor measured in the same run.
PAGE_MIN_SHARE, PAGE_MAX_P99_RATIO, POST_MIN_SHARE = 0.5, 3.0, 0.05
# Fewer requests than this in a run, and its p99 is little more than its slowest request.
MIN_SAMPLES = 50


@dataclass
class Page:
    key: str  # the same page on every data set, for the growth table
    name: str
    url: str
    post: bool = False  # posting a comment to the article at `url`


@dataclass
class Result:
    key: str
    name: str
    url: str
    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    bytes_per_response: float | None = None
    queries: int | None = None
    errors: dict = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def pages() -> list[Page]:
    """The pages of issue 11's table, found in the database: the same rules on any data set."""
    approved = Q(comments__status=Comment.Status.APPROVED)
    by_comments = list(
        Article.objects.published()
        .annotate(approved_comments=Count("comments", filter=approved))
        .order_by("-approved_comments", "pk")[:2]
    )
    if len(by_comments) < 2:
        raise LookupError("the benchmark needs two published articles: run seed_demo first")
    busiest, busy = by_comments
    question = Question.objects.public().order_by("-published_at", "pk").first()
    if question is None:
        raise LookupError("the benchmark needs a public question: seed_demo --questions 8")
    tag = busiest.tags.order_by("name").first()
    return [
        Page("floor", "floor: /robots.txt", reverse("robots")),
        Page("home", "home", reverse("home")),
        Page("articles", "article list", reverse("articles:list")),
        Page("category", f"category {busiest.category.name}", busiest.category.get_absolute_url()),
        Page("tag", f"tag {tag.slug}", tag.get_absolute_url()),
        Page("search", "search ?q=shoulder", reverse("search") + "?q=shoulder"),
        Page(
            "busiest",
            f"article, {busiest.approved_comments} comments",
            busiest.get_absolute_url(),
        ),
        Page("busy", f"article, {busy.approved_comments} comments", busy.get_absolute_url()),
        Page("questions", "question list", reverse("questions:list")),
        Page("question", "a public question", question.get_absolute_url()),
        Page("rss", "RSS feed", reverse("articles:feed")),
        Page("sitemap", "sitemap index", reverse("sitemap")),
        Page(
            "sitemap-questions",
            "sitemap of questions (1,000)",
            reverse("sitemap-section", kwargs={"section": "questions"}),
        ),
        Page(
            "post",
            f"post a comment ({busiest.approved_comments} on the page)",
            busiest.get_absolute_url(),
            post=True,
        ),
    ]


# --- The comment form, as a visitor's browser gets it ------------------------------------


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[dict, dict]] = []  # (the form's attributes, its inputs)
        self._inputs: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._inputs = {}
            self.forms.append((attributes, self._inputs))
        elif (
            self._inputs is not None
            and tag in ("input", "textarea")
            and "name" in attributes
            and attributes.get("type") not in ("checkbox", "submit", "button")
        ):
            self._inputs[attributes["name"]] = attributes.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._inputs = None


def comment_form(html: str) -> tuple[str, dict[str, str], str]:
    """The comment form of a page: where it posts, its fields as the page fills them (the
    signed stamp, the parent and the honeypot; the visible ones empty), and the address its
    CSRF token and stamp come from when the page is the shared, cached copy ("" otherwise)."""
    parser = _FormParser()
    parser.feed(html)
    for attributes, inputs in parser.forms:
        if "comment-form" in attributes.get("class", "").split():
            return attributes.get("action", ""), inputs, attributes.get("data-form-state", "")
    raise LookupError("no comment form on the page")


def open_comment_form(get, url: str) -> tuple[str, dict[str, str]]:
    """The comment form as a browser holds it once the page at `url` has loaded: `get(url)`
    fetches an address (with the visitor's cookies) and returns its text. A cached page's
    form gets its CSRF token and stamp from a second, same-origin request, as
    static/js/form-state.js does."""
    action, fields, state_url = comment_form(get(url))
    if state_url:
        state = json.loads(get(state_url))
        fields = fields | {
            "csrfmiddlewaretoken": state["csrf_token"],
            "form_stamp": state["form_stamp"],
        }
    return action, fields


def comment_data(fields: dict[str, str], number: int) -> dict[str, str]:
    """The form as a guest fills it: a distinct comment, name and address for each post."""
    words = secrets.token_hex(4)
    return fields | {
        "body": (
            f"Thank you for this. I tried the first stretch this morning (note {number}, {words}) "
            "and the ache between my shoulder blades eased after a few minutes. Should I do it "
            "before work as well, or only in the evening?"
        ),
        "name": f"Bench reader {number}",
        "email": f"bench-{words}-{number}@example.net",
    }


# --- Load ----------------------------------------------------------------------------------


def warm_up(base_url: str, page: Page, *, times: int = 3) -> float:
    """Request `page` as wrk will (compressed), so that its run starts from a cached copy and
    the server's workers are warm; the fastest of `times` answers, in seconds. Warmed
    uncompressed, every connection of wrk's first wave would wait for the one render of the
    compressed copy: on a big page, more than 1% of its run, all in its p99."""
    visitor = Visitor(base_url)
    fastest = math.inf
    for _ in range(times):
        started = time.monotonic()
        response, _ = visitor.request("GET", page.url, accept_encoding=WRK_ACCEPT_ENCODING)
        fastest = min(fastest, time.monotonic() - started)
        if response.status != 200:
            raise LookupError(f"GET {page.url}: HTTP {response.status}")
    return fastest


def run_wrk(base_url: str, page: Page, *, seconds: float, connections: int, threads: int):
    """wrk's figures for one page: requests, seconds, p50 and p99, bytes, errors.

    wrk stops after `seconds` without waiting for the requests still in the server: this waits
    for them, so that the next page is not measured behind their queue.
    """
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-H",
        f"Accept-Encoding: {WRK_ACCEPT_ENCODING}",
        "-s",
        str(WRK_SUMMARY),
        base_url + page.url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603 (our wrk command)
    line = next(line for line in output.splitlines() if line.startswith("WRK-SUMMARY "))
    summary = json.loads(line.removeprefix("WRK-SUMMARY "))
    requests = summary["requests"]
    if requests:
        time.sleep(summary["max_us"] / 1e6 + 0.2)
    else:  # every request took longer than the run: `connections` of them are still queued
        time.sleep(seconds * connections / server_workers())
    return Result(
        page.key,
        page.name,
        page.url,
        requests=requests,
        seconds=summary["duration_us"] / 1e6,
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        max_ms=summary["max_us"] / 1000,
        bytes_per_response=summary["bytes"] / requests if requests else None,
        errors={kind: count for kind, count in summary["errors"].items() if count},
    )


def server_workers() -> int:
    """gunicorn's workers, as gunicorn.conf.py counts them."""
    return int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) * 2 + 1))


class Visitor:
    """One browser: a keep-alive connection to the server and its cookies."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.host = parts.netloc
        self.connection = HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.cookies = SimpleCookie()

    def request(
        self, method: str, url: str, body: dict | None = None, *, accept_encoding="identity"
    ):
        headers = {"Host": self.host, "Accept-Encoding": accept_encoding}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        encoded = None
        if body is not None:
            encoded = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, url, body=encoded, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return response, content


@dataclass
class OpenedForm:
    """A visitor who opened a page carrying the comment form, and the form as they got it."""

    visitor: Visitor
    action: str
    fields: dict[str, str]
    opened_at: float  # time.monotonic()


def open_forms(base_url: str, url: str, count: int) -> list[OpenedForm]:
    """`count` visitors who each opened the page at `url`, a few at a time."""
    opened: queue.Queue = queue.Queue()

    def open_page():
        visitor = Visitor(base_url)

        def get(address):
            response, content = visitor.request("GET", address)
            if response.status != 200:
                raise RuntimeError(f"GET {address}: HTTP {response.status}")
            return content.decode()

        opened.put(OpenedForm(visitor, *open_comment_form(get, url), time.monotonic()))

    for first in range(0, count, 4):
        threads = [threading.Thread(target=open_page) for _ in range(min(4, count - first))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return [opened.get() for _ in range(opened.qsize())]


def post_comments(forms: list[OpenedForm], page: Page, *, seconds: float) -> Result:
    """All the visitors at once, each posting comment after comment from the form they opened
    for `seconds`: a new text from a new address each time, so each post is a new submission
    that the whole spam defence judges (the page is not opened again between posts)."""
    numbers = itertools.count(1)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def post(form: OpenedForm):
        while time.monotonic() < deadline:
            data = comment_data(form.fields, next(numbers))
            started = time.monotonic()
            response, _ = form.visitor.request("POST", form.action, data)
            elapsed = time.monotonic() - started
            with lock:
                if response.status == 302 and "#comment-" in response.headers.get("Location", ""):
                    latencies.append(elapsed)
                else:
                    errors[f"HTTP {response.status}"] = errors.get(f"HTTP {response.status}", 0) + 1
        form.visitor.connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=post, args=(form,)) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return Result(
        page.key,
        page.name,
        page.url,
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        errors=errors,
    )


def percentile(values: list[float], point: int) -> float:
    if not values:
        return math.nan
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[point - 1]


# --- Queries per request, in this process ----------------------------------------------------


def count_queries(page: Page, host: str) -> int:
    """SQL queries of one anonymous rendering of `page`, after a first one that warms up; for
    posting, of the POST of a form opened as a visitor would."""
    client = Client(enforce_csrf_checks=True, HTTP_HOST=host)
    if page.post:
        for number in range(2):
            action, fields = open_comment_form(lambda u: client.get(u).content.decode(), page.url)
            with CaptureQueriesContext(connection) as queries:
                response = client.post(action, comment_data(fields, number))
            if response.status_code != 302:
                raise RuntimeError(f"POST {action}: HTTP {response.status_code}")
        return len(queries)
    for _ in range(2):
        # A rendering, not a copy from the page cache (which costs no query at all).
        pagecache.content_changed()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {page.url}: HTTP {response.status_code}")
    return len(queries)


# --- Tables -----------------------------------------------------------------------------------


def as_json(results: list[Result]) -> list[dict]:
    return [asdict(result) | {"rate": result.rate} for result in results]


def from_json(rows: list[dict]) -> list[Result]:
    return [Result(**{k: v for k, v in row.items() if k != "rate"}) for row in rows]


def floor_of(results: list[Result]) -> Result:
    return next(result for result in results if result.key == "floor")


def ratio(value: float, to: float) -> float:
    return value / to if to else math.nan


def meets_target(result: Result, floor: Result) -> tuple[bool, str]:
    share = ratio(result.rate, floor.rate)
    if result.key == "floor":
        return True, ""
    if result.key == "post":
        return share >= POST_MIN_SHARE, f">= {POST_MIN_SHARE:.0%} of the floor"
    p99_ratio = ratio(result.p99_ms, floor.p99_ms)
    met = result.requests > 0 and share >= PAGE_MIN_SHARE and p99_ratio <= PAGE_MAX_P99_RATIO
    return met, f">= {PAGE_MIN_SHARE:.0%}, p99 <= {PAGE_MAX_P99_RATIO:g}x"


def milliseconds(value: float, result: Result) -> str:
    return f"{value:.1f}" if result.requests else "-"


def main_table(results: list[Result]) -> list[str]:
    floor = floor_of(results)
    header = (
        f"{'page':<38}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>10}{'requests':>9}{'queries':>8}"
        f"{'KB':>7}{'of floor':>10}{'p99/floor':>10}  target"
    )
    lines = [header, "-" * len(header)]
    few = False
    for result in results:
        met, target = meets_target(result, floor)
        kb = f"{result.bytes_per_response / 1024:.1f}" if result.bytes_per_response else "-"
        queries = "-" if result.queries is None else str(result.queries)
        verdict = "" if result.key == "floor" else ("met" if met else "NOT met") + f" ({target})"
        mark = "*" if result.requests < MIN_SAMPLES else " "
        few = few or mark == "*"
        lines.append(
            f"{result.name[:37]:<38}{result.rate:>9.1f}{milliseconds(result.p50_ms, result):>9}"
            f"{milliseconds(result.p99_ms, result):>9}{mark}{result.requests:>9}{queries:>8}"
            f"{kb:>7}{ratio(result.rate, floor.rate):>10.1%}"
            f"{f'{ratio(result.p99_ms, floor.p99_ms):.1f}x' if result.requests else '-':>10}"
            f"  {verdict}"
        )
        if not result.requests:
            lines.append(f"{'':<4}no request finished in {result.seconds:.0f} s: slower than that")
        if result.errors:
            lines.append(f"{'':<4}errors: {result.errors}")
    if few:
        lines.append(
            f"* fewer than {MIN_SAMPLES} requests: that p99 is close to the slowest request "
            "(more with --seconds)"
        )
    return lines


def growth_table(small: list[Result], large: list[Result]) -> list[str]:
    """The same pages on the small and the large data set: how the cost grows with data."""
    header = (
        f"{'page':<24}{'req/s small':>12}{'large':>9}{'large/small':>13}"
        f"{'p99 small':>11}{'large':>9}{'queries small':>15}{'large':>7}{'KB small':>10}"
        f"{'large':>8}"
    )
    lines = [header, "-" * len(header)]
    by_key = {result.key: result for result in small}
    for result in large:
        before = by_key.get(result.key)
        if before is None:
            continue

        def kb(r):
            return f"{r.bytes_per_response / 1024:.1f}" if r.bytes_per_response else "-"

        def queries(r):
            return "-" if r.queries is None else str(r.queries)

        growth = f"{ratio(result.rate, before.rate):.0%}" if result.requests else "-"
        lines.append(
            f"{KEY_NAMES.get(result.key, result.key):<24}{before.rate:>12.1f}{result.rate:>9.1f}"
            f"{growth:>12} {milliseconds(before.p99_ms, before):>11}"
            f"{milliseconds(result.p99_ms, result):>9}"
            f"{queries(before):>15}{queries(result):>7}{kb(before):>10}{kb(result):>8}"
        )
    return lines


KEY_NAMES = {
    "floor": "floor: /robots.txt",
    "home": "home",
    "articles": "article list",
    "category": "category",
    "tag": "tag",
    "search": "search ?q=shoulder",
    "busiest": "busiest article",
    "busy": "second-busiest article",
    "questions": "question list",
    "question": "a public question",
    "rss": "RSS feed",
    "sitemap": "sitemap index",
    "sitemap-questions": "sitemap of questions",
    "post": "post a comment",
}
