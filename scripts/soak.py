"""The soak run behind `make soak` (scripts/soak): the site as in production, under load and
faults, checked for anything lost or doubled.

It starts, on 127.0.0.1 only: a throwaway PostgreSQL, gunicorn with gunicorn.conf.py (DEBUG
off, production variables, PROXY_COUNT=1), the task worker (`manage.py worker`, restarted
when it exits, as a supervisor would) and an SMTP sink of its own. Then 32 clients post
comments (a third of them replies) and questions through the real forms, each text carrying a
unique marker, some sent twice; PostgreSQL is stopped for 10 s and the sink for a minute in the
middle. Clients behave as readers do: on a 503 they wait and press the page's *Send again*.
It prints what was sent, answered, stored and emailed, and exits 1 when anything was lost or
doubled (README, "Soak test").
"""

import argparse
import collections
import email
import email.policy
import os
import random
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import httpx
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PASSWORD = secrets.token_urlsafe(16)  # the soak readers' password, new each run
# A question called spam lands on the same thank-you page without its link: a success too.
SUCCESS = {"comment": re.compile(r"#comment-\d+$"), "question": re.compile(r"/questions/sent/")}
MARKER = re.compile(r"SOAK[0-9A-F]{6}N\d{5}")
ADMIN_COMMENT_LINK = re.compile(r"/comments/comment/(\d+)/change/")
SENTENCES = [
    "My lower back aches after long days at the desk, and the stretches from this page help.",
    "I tried the exercise for my shoulder every morning for two weeks and it feels looser.",
    "Walking after dinner made a real difference to the stiffness in my hips.",
    "Thank you for explaining the difference between soreness and pain so clearly.",
    "My physiotherapist suggested something similar, good to read it explained again.",
    "The neck routine is gentle enough that I can do it at work between calls.",
]


def line(label: str, value, detail="") -> None:
    print(f"   {label + ':':<32}{value}  {detail or ''}".rstrip())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def elapsed(since: float) -> str:
    return f"{time.monotonic() - since:5.1f} s"


# --- The servers ------------------------------------------------------------------------------


class Postgres:
    """A throwaway cluster run as the postgres user (initdb and pg_ctl refuse root)."""

    def __init__(self, workdir: Path):
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
        self.bin = self.bin[-1]
        self.dir = workdir / "pg"
        self.dir.mkdir()
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/painrelief"

    def _as_postgres(self, *command: str, check: bool = True) -> None:
        line = shlex.join(command)
        argv = ["su", "postgres", "-s", "/bin/sh", "-c", line] if os.geteuid() == 0 else command
        subprocess.run(argv, check=check, stdout=subprocess.DEVNULL)  # noqa: S603 (our own fixed command)

    def init(self) -> None:
        self._as_postgres(
            f"{self.bin}/initdb",
            "-D",
            f"{self.dir}/data",
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self.start()
        self._as_postgres(
            f"{self.bin}/createdb",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "painrelief",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
            "-c max_connections=200 -c fsync=off"  # a clean stop still writes everything
        )
        self._as_postgres(
            f"{self.bin}/pg_ctl",
            "-D",
            f"{self.dir}/data",
            "-l",
            f"{self.dir}/log",
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self, mode: str = "fast", *, check: bool = True) -> None:
        self._as_postgres(
            f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-m", mode, "-w", "stop", check=check
        )


@dataclass
class Delivered:
    recipient: str
    subject: str
    body: str


class MailSink:
    """An SMTP server that keeps every message it accepts; stopped and started on one port."""

    def __init__(self):
        self.port = free_port()
        self.received: list[Delivered] = []
        self._lock = threading.Lock()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(("plain",))
        text = body.get_content() if body else ""
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self.received.append(Delivered(recipient.lower(), str(message["subject"]), text))
        return "250 OK"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages(self) -> list[Delivered]:
        with self._lock:
            return list(self.received)


class Site:
    """gunicorn and the task worker, with the production settings the soak needs."""

    def __init__(self, workdir: Path, database_url: str, smtp_port: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = workdir
        self.env = {
            **os.environ,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SITE_URL": self.url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "CACHE_DIR": str(workdir / "cache"),
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private-media"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            # The clients stand behind one proxy, which writes their address (client_ip.py).
            "PROXY_COUNT": "1",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "5",
            # Retries within the soak's time: 5 s, 10 s, then every 15 s (production: 1 min to 1 h).
            "EMAIL_RETRY_FIRST_DELAY_SECONDS": "5",
            "EMAIL_RETRY_MAX_DELAY_SECONDS": "15",
            "EMAIL_SENDING_TIMEOUT_SECONDS": "20",
            # A worker that loses the database exits, its task left "running" (production: 30 min).
            "TASKS_STALE_RUNNING_SECONDS": "30",
            # The clients fill forms faster than a person could; the timing guard would hold all.
            "SPAM_MIN_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
        }
        for name in ("DJANGO_DEBUG", "TASKS_BACKEND", "DJANGO_SETTINGS_MODULE"):
            self.env.pop(name, None)
        self.gunicorn = None
        self.workers = []
        self.worker_restarts = 0
        self._supervising = False

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 (our own manage.py)
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout

    def prepare(self, users: int) -> None:
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self.manage(
            "seed_demo", "--articles", "6", "--comments-per-article", "4", "--questions", "30"
        )
        self.manage("shell", "-c", SEED_USERS.format(users=users, password=PASSWORD))

    def start(self, workers: int) -> None:
        log = open(self.workdir / "gunicorn.log", "w")  # noqa: SIM115 (open while it runs)
        self.gunicorn = subprocess.Popen(  # noqa: S603 (our own gunicorn)
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "painrelief.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self._supervising = True
        for number in range(workers):
            threading.Thread(target=self._supervise_worker, args=(number,), daemon=True).start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer /healthz within 60 s; see gunicorn.log")

    def _supervise_worker(self, number: int) -> None:
        """As systemd's Restart=always would: the worker exits when it loses the database."""
        log = open(self.workdir / f"worker-{number}.log", "a")  # noqa: SIM115 (open while it runs)
        while self._supervising:
            worker = subprocess.Popen(  # noqa: S603 (our own manage.py)
                [str(BIN / "python"), "manage.py", "worker", "--interval", "0.5", "--no-reload"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            self.workers.append(worker)
            worker.wait()
            if self._supervising:
                self.worker_restarts += 1
                time.sleep(1)

    def stop(self) -> None:
        self._supervising = False
        for process in (*self.workers, self.gunicorn):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


SEED_USERS = """
from painrelief.accounts.models import User
for n in range({users}):
    email = f"soak-reader-{{n}}@soak.example"
    if not User.objects.filter(email=email).exists():
        User.objects.create_user(email=email, password="{password}", display_name=f"Reader {{n}}")
"""


# --- Reading pages as a browser does ----------------------------------------------------------


class FormReader(HTMLParser):
    """The forms of a page: each one's action and the values a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            state = attrs.get("data-form-state") or ""
            self.forms.append({"action": attrs.get("action") or "", "fields": {}, "state": state})
        elif not self.forms or "name" not in attrs:
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind not in {"submit", "button", "file"}:
                self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.forms[-1]["fields"][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def form_on(page: str, action: re.Pattern) -> tuple[str, dict, str] | None:
    """The form of `page` whose action matches, with its hidden inputs (CSRF token, the signed
    stamp, the parent) and defaults, and the address its token and stamp come from when the
    page is the shared, cached copy (static/js/form-state.js fetches it; "" otherwise): the
    one place that knows how a form's tokens arrive."""
    reader = FormReader()
    reader.feed(page)
    for form in reader.forms:
        if action.search(form["action"]):
            return form["action"], dict(form["fields"]), form["state"]
    return None


# --- The clients --------------------------------------------------------------------------------


@dataclass
class Answer:
    started: float
    ended: float
    status: int  # 0: no answer (connection refused, timed out)
    location: str = ""
    text_back: bool = False
    posted: bool = True


@dataclass
class Job:
    kind: str  # "comment" or "question"
    marker: str
    target: str  # the page the form is on
    reply: bool = False
    double: str = ""  # "", "after" (sent again after the answer) or "concurrent"
    answers: list[Answer] = field(default_factory=list)
    success: bool = False
    replied: bool = False  # a reply's form had a parent to answer


class Client(threading.Thread):
    def __init__(self, soak: "Soak", number: int, signed_in: bool):
        super().__init__(daemon=True)
        self.soak = soak
        self.number = number
        self.signed_in = signed_in
        self.random = random.Random(number)  # noqa: S311 (test data, not security)
        self.http = self._new_http()

    def _new_http(self) -> httpx.Client:
        return httpx.Client(base_url=self.soak.site.url, timeout=30, follow_redirects=False)

    def _address(self) -> str:
        # Each submission from a reader of its own: the rate limits count per address.
        return f"10.{self.number}.{self.random.randrange(256)}.{self.random.randrange(1, 255)}"

    def run(self):
        while (job := self.soak.next_job()) is not None:
            try:
                self.do(job)
            except Exception as error:  # a client bug must not stop the soak; it is reported
                self.soak.client_errors.append(f"{job.marker}: {type(error).__name__}: {error}")

    def request(self, job: Job | None, method: str, url: str, *, address: str, http=None, **kw):
        http = http or self.http
        started = time.monotonic()
        try:
            response = http.request(method, url, headers={"X-Forwarded-For": address}, **kw)
        except httpx.HTTPError:
            response = None
        answer = Answer(
            started,
            time.monotonic(),
            response.status_code if response is not None else 0,
            response.headers.get("Location", "") if response is not None else "",
            posted=method == "POST",
        )
        if job is not None:
            if method == "POST" and response is not None:
                answer.text_back = job.marker in response.text
            job.answers.append(answer)
        self.soak.record(answer)
        return response

    def sign_in(self) -> None:
        address = self._address()
        for _attempt in range(30):
            page = self.request(None, "GET", "/accounts/login/", address=address)
            form = page is not None and form_on(page.text, re.compile(r"login|^$"))
            if form:
                action, fields, _state = form
                fields |= {
                    "username": f"soak-reader-{self.number}@soak.example",
                    "password": PASSWORD,
                }
                done = self.request(
                    None, "POST", action or "/accounts/login/", address=address, data=fields
                )
                if done is not None and done.status_code == 302:
                    return
            time.sleep(1)
        raise RuntimeError("could not sign in")

    def do(self, job: Job) -> None:
        if self.signed_in and not self.http.cookies.get("sessionid"):
            self.sign_in()
        address = self._address()
        deadline = time.monotonic() + 90
        page_url = job.target
        if job.reply:
            page = self.request(job, "GET", job.target, address=address)
            parents = re.findall(r"replytocom=(\d+)", page.text) if page is not None else []
            if parents:
                page_url = f"{job.target}?replytocom={self.random.choice(parents)}"
        form = None
        while form is None and time.monotonic() < deadline:
            page = self.request(job, "GET", page_url, address=address)
            if page is not None and page.status_code == 200:
                pattern = r"/comments/.+/post/" if job.kind == "comment" else r"/questions/ask/"
                form = form_on(page.text, re.compile(pattern))
                if form is None:
                    raise RuntimeError(f"no form on {page_url}")
            else:
                time.sleep(1)
        if form is None:
            return
        action, fields, state_url = form
        if state_url:  # the cached page: its token and stamp, as the page's script fetches them
            state = self.request(job, "GET", state_url, address=address)
            if state is None or state.status_code != 200:
                return
            values = state.json()
            fields |= {
                "csrfmiddlewaretoken": values["csrf_token"],
                "form_stamp": values["form_stamp"],
            }
        job.replied = bool(fields.get("parent"))
        fields |= self.filled(job)
        if job.kind == "question":
            fields["send"] = ""
        while time.monotonic() < deadline:
            response = self.post(job, action, fields, address)
            if response is not None and response.status_code == 302:
                job.success = bool(SUCCESS[job.kind].search(response.headers["Location"]))
                return
            if response is None:  # no answer in time: as a reader would, send it again
                time.sleep(2)
                continue
            if response.status_code != 503:
                return  # refused: a 4xx, or an error page (counted)
            # As a reader would: wait a moment, then press the 503 page's "Send again".
            kept = form_on(response.text, re.compile(re.escape(action)))
            if kept is not None:
                action, fields = kept[0], kept[1]
            time.sleep(2)

    def post(self, job: Job, action: str, fields: dict, address: str):
        if job.double == "concurrent":
            twin = self._new_http()
            twin.cookies = self.http.cookies
            other = threading.Thread(
                target=self.request,
                args=(job, "POST", action),
                kwargs={"address": address, "http": twin, "data": fields},
            )
            other.start()
            response = self.request(job, "POST", action, address=address, data=fields)
            other.join()
            return response
        response = self.request(job, "POST", action, address=address, data=fields)
        if job.double == "after":
            self.request(job, "POST", action, address=address, data=fields)
        return response

    def filled(self, job: Job) -> dict:
        text = f"{self.random.choice(SENTENCES)} {self.random.choice(SENTENCES)} ({job.marker})"
        if job.kind == "comment":
            fields = {"body": text}
            if not self.signed_in:
                fields |= {"name": f"Guest {self.number}", "email": f"{job.marker}@soak.example"}
            return fields
        return {
            "title": f"Pain question {job.marker}",
            "body": text,
            "name": f"Asker {self.number}",
            "email": f"{job.marker.lower()}@soak.example",
            "publication": "private",
        }


# --- The run --------------------------------------------------------------------------------


class Soak:
    def __init__(self, args, workdir: Path):
        self.args = args
        self.workdir = workdir
        self.run_id = secrets.token_hex(3).upper()
        self.pg = Postgres(workdir)
        self.sink = MailSink()
        self.site = Site(workdir, self.pg.url, self.sink.port)
        self.jobs: list[Job] = []
        self._next = 0
        self._lock = threading.Lock()
        self.answers: list[Answer] = []
        self.client_errors: list[str] = []
        self.db_outage: tuple[float, float] | None = None
        self.mail_outage: tuple[float, float] | None = None
        self.recovered_at: float | None = None

    def next_job(self) -> Job | None:
        with self._lock:
            if self._next >= len(self.jobs):
                return None
            self._next += 1
            return self.jobs[self._next - 1]

    def record(self, answer: Answer) -> None:
        with self._lock:
            self.answers.append(answer)

    def plan(self, articles: list[str], questions: list[str]) -> None:
        chooser = random.Random(1)  # noqa: S311 (test data, not security)
        targets = articles + questions
        kinds = ["comment"] * self.args.comments + ["question"] * self.args.questions
        chooser.shuffle(kinds)
        for number, kind in enumerate(kinds):
            job = Job(kind, f"SOAK{self.run_id}N{number:05d}", "/questions/ask/")
            if kind == "comment":
                job.target = chooser.choice(targets)
                job.reply = chooser.random() < 1 / 3
            if chooser.random() < 0.05:
                job.double = chooser.choice(["after", "concurrent"])
            self.jobs.append(job)

    def progress(self) -> float:
        with self._lock:
            return self._next / len(self.jobs)

    def faults(self) -> None:
        """PostgreSQL away for 10 s a third of the way in; the mail server for a minute."""
        while self.progress() < 0.3:
            time.sleep(0.2)
        started = time.monotonic()
        print(f"   {elapsed(self.t0)}  stopping PostgreSQL (pg_ctl stop -m fast) for 10 s")
        self.pg.stop("fast")
        time.sleep(10)
        self.pg.start()
        self.db_outage = (started, time.monotonic())
        print(f"   {elapsed(self.t0)}  PostgreSQL is back")
        while self.progress() < 0.45:
            time.sleep(0.2)
        started = time.monotonic()
        print(f"   {elapsed(self.t0)}  stopping the mail server for 60 s")
        self.sink.stop()
        time.sleep(60)
        self.sink.start()
        self.mail_outage = (started, time.monotonic())
        print(f"   {elapsed(self.t0)}  the mail server is back")

    def watch_recovery(self) -> None:
        """How long after PostgreSQL came back the first page is served again."""
        while self.db_outage is None:
            time.sleep(0.05)
        while self.recovered_at is None:
            try:
                if httpx.get(f"{self.site.url}/", timeout=10).status_code == 200:
                    self.recovered_at = time.monotonic()
            except httpx.HTTPError:
                pass
            time.sleep(0.05)

    def run(self) -> int:
        print(f"== Soak {self.run_id}: work in {self.workdir}")
        self.pg.init()
        try:
            return self.load_and_faults()
        finally:
            self.site.stop()
            self.sink.stop()
            self.pg.stop("immediate", check=False)

    def load_and_faults(self) -> int:
        self.sink.start()
        print(f"   PostgreSQL on 127.0.0.1:{self.pg.port}, SMTP sink on 127.0.0.1:{self.sink.port}")
        self.site.prepare(users=self.args.clients)
        articles, questions = self.targets()
        self.site.start(workers=self.args.workers)
        print(f"   gunicorn on {self.site.url}, {self.args.workers} task workers running")
        self.plan(articles, questions)
        print(
            f"== {self.args.clients} clients: {self.args.comments} comments and "
            f"{self.args.questions} questions on {len(articles)} articles and "
            f"{len(questions)} public questions"
        )
        self.t0 = time.monotonic()
        clients = [Client(self, n, signed_in=n % 2 == 0) for n in range(self.args.clients)]
        faults = threading.Thread(target=self.faults, daemon=True)
        faults.start()
        threading.Thread(target=self.watch_recovery, daemon=True).start()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        print(f"   {elapsed(self.t0)}  all clients done")
        faults.join()
        return self.report()

    def targets(self) -> tuple[list[str], list[str]]:
        self.django()
        from articles.models import Article
        from questions.models import Question

        articles = [a.get_absolute_url() for a in Article.objects.published()]
        questions = [q.get_absolute_url() for q in Question.objects.public()]
        from django.db import connections

        connections.close_all()
        return articles, questions

    def django(self) -> None:
        """The site's settings and models in this process, to list pages and count rows."""
        os.environ.update(self.site.env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "painrelief.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()

    def report(self) -> int:
        from django.db import connections
        from django_tasks_db.models import DBTaskResult

        from painrelief.comments.models import Comment
        from painrelief.mail.models import OutgoingEmail
        from questions.models import Question

        connections.close_all()
        tag = f"SOAK{self.run_id}N"
        comments = list(Comment.objects.filter(body__contains=tag))
        # The case is encrypted at rest: the database cannot search it, Python reads it.
        questions = [q for q in Question.objects.only("body") if tag in q.body]
        stored = collections.Counter(
            marker for row in [*comments, *questions] for marker in MARKER.findall(row.body)
        )
        jobs = self.jobs
        success = [j for j in jobs if j.success]
        lost = [j.marker for j in success if not stored[j.marker]]
        duplicated = [j.marker for j in jobs if stored[j.marker] > 1]
        errors = [
            (j.marker, [(a.status, a.location) for a in j.answers])
            for j in jobs
            if not j.success and stored[j.marker]
        ]
        refused = [(j.marker, [a.status for a in j.answers]) for j in jobs if not stored[j.marker]]
        db_start, db_end = self.db_outage

        def in_outage(answer: Answer) -> bool:
            return answer.started < db_end and answer.ended > db_start

        during = [a for a in self.answers if in_outage(a)]
        outside_5xx = [a for a in self.answers if a.status >= 500 and not in_outage(a)]
        failed_posts = [a for a in during if a.posted and a.status != 302]
        latencies = sorted(a.ended - a.started for a in during) or [float("nan")]
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        statuses = collections.Counter(c.status for c in comments)
        recovery = self.recovered_at - db_end if self.recovered_at else float("nan")
        tasks = collections.Counter(DBTaskResult.objects.values_list("status", flat=True))

        print(f"== Results ({elapsed(self.t0)} of load and faults)")
        line(
            "sent",
            len(jobs),
            f"{self.args.comments} comments "
            f"({sum(j.reply and j.replied for j in jobs)} replies), {self.args.questions} "
            f"questions; {sum(bool(j.double) for j in jobs)} double-submitted "
            f"({sum(j.double == 'concurrent' for j in jobs)} concurrently)",
        )
        line("success", len(success))
        line(
            "stored",
            sum(1 for j in jobs if stored[j.marker]),
            f"comments {dict(statuses)}, "
            f"questions {dict(collections.Counter(q.status for q in questions))}",
        )
        line("lost (success, not stored)", len(lost), lost[:5])
        line("duplicated", len(duplicated), duplicated[:5])
        line("stored although error", len(errors), errors[:5])
        line("not stored, no success", len(refused), refused[:5])
        line("5xx outside the outage", len(outside_5xx))
        print(f"   during the database outage ({db_end - db_start:.1f} s):")
        line(
            "  requests",
            len(during),
            f"status {dict(sorted(collections.Counter(a.status for a in during).items()))}",
        )
        line(
            "  latency p50, p99",
            f"{latencies[len(latencies) // 2] * 1000:.0f} ms, {p99 * 1000:.0f} ms",
        )
        line(
            "  failed posts",
            len(failed_posts),
            f"{sum(a.text_back for a in failed_posts)} with their text given back",
        )
        line("recovery after it came back", f"{recovery:.2f} s")
        line("task worker restarts", self.site.worker_restarts, f"tasks {dict(tasks)}")
        mail_ok = self.check_emails(comments, questions, OutgoingEmail)
        if self.client_errors:
            line("client errors", len(self.client_errors), self.client_errors[:3])
        failed = lost or duplicated or errors or outside_5xx or not mail_ok or self.client_errors
        print("== FAILED" if failed else "== PASSED: nothing lost, nothing doubled")
        return 1 if failed else 0

    def check_emails(self, comments, questions, OutgoingEmail) -> bool:
        """Every email due delivered once, counted at the sink by recipient, subject and marker:
        the coach's notice of each comment that is not spam, the asker's of each question."""
        from painrelief.comments.emails import coach_recipients
        from painrelief.comments.targets import target_of

        due = collections.Counter()
        # A held comment's notice links to the admin instead of quoting it: found by its id.
        marker_of_comment = {str(c.pk): MARKER.search(c.body).group() for c in comments}
        for comment in comments:
            if comment.status == "spam":
                continue
            marker = MARKER.search(comment.body).group()
            for address in coach_recipients(target_of(comment), comment.user_id):
                due[(address.lower(), "comment", marker)] += 1
        for question in questions:
            if question.status == "spam":
                continue
            marker = MARKER.search(question.body).group()
            due[(question.email.lower(), "We received your question", marker)] += 1
        deadline = time.monotonic() + self.args.mail_wait
        while True:
            delivered = collections.Counter()
            for message in self.sink.messages():
                found = MARKER.search(message.body) or MARKER.search(message.recipient.upper())
                linked = ADMIN_COMMENT_LINK.search(message.body)
                if found:
                    marker = found.group().upper()
                elif linked and linked.group(1) in marker_of_comment:
                    marker = marker_of_comment[linked.group(1)]
                else:
                    continue
                kind = "comment" if "comment" in message.subject.lower() else message.subject
                kind = "We received your question" if kind.startswith("We received") else kind
                delivered[(message.recipient, kind, marker)] += 1
            missing = [key for key in due if delivered[key] == 0]
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(2)
        twice = [key for key, n in delivered.items() if n > 1]
        outbox = collections.Counter(OutgoingEmail.objects.values_list("status", flat=True))
        line("emails due", sum(due.values()), f"outbox {dict(outbox)}")
        line("  delivered once", sum(1 for key in due if delivered[key] == 1))
        line("  missing", len(missing), missing[:3])
        line("  delivered more than once", len(twice), twice[:3])
        return not missing and not twice


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2, help="task worker processes")
    parser.add_argument("--mail-wait", type=int, default=180, help="seconds to wait for emails")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="painrelief-soak-"))
    workdir.chmod(0o755)
    soak = Soak(args, workdir)
    try:
        return soak.run()
    finally:
        if args.keep:
            print(f"   logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
