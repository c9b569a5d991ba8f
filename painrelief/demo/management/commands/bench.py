import json
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.models import Article
from painrelief.comments.models import Comment
from painrelief.demo import benchmark
from questions.models import Question


class Command(BaseCommand):
    help = (
        "Drive the site served at --url (gunicorn on this database: scripts/bench starts it) "
        "with wrk, page by page, post comments through the spam defence, and print requests/s, "
        "p50, p99, SQL queries, bytes on the wire and each page's share of the floor."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True, help="The server, e.g. http://127.0.0.1:8123")
        parser.add_argument("--seconds", type=float, default=4, help="Load time per page.")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--threads", type=int, default=2, help="wrk's threads.")
        parser.add_argument("--label", default="", help="What data set this is, for the title.")
        parser.add_argument("--json", type=Path, help="Also write the results to this file.")
        parser.add_argument(
            "--growth",
            type=Path,
            metavar="SMALL_JSON",
            help="Results of the same pages on a small data set (--json of an earlier run): "
            "also print how each page's cost grows from it to this one.",
        )

    def handle(self, *args, **options):
        base_url = options["url"].rstrip("/")
        host = urlsplit(base_url).netloc
        try:
            pages = benchmark.pages()
        except LookupError as error:
            raise CommandError(str(error)) from None
        seconds, connections = options["seconds"], options["connections"]
        data = (
            f"{Article.objects.published().count():,} published articles, "
            f"{Comment.objects.approved().count():,} approved comments, "
            f"{Question.objects.public().count():,} public questions of "
            f"{Question.objects.count():,}"
        )
        self.progress(f"Benchmark of {base_url} on {connection.vendor} ({data})")

        durations = {
            page.key: self.duration(base_url, page, seconds) for page in pages if not page.post
        }
        queries = {page.key: benchmark.count_queries(page, host) for page in pages}
        self.progress("Queries counted; each page answers 200 through the server.")

        results = []
        for page in pages:
            if page.post:
                result = self.post_comments(base_url, page, seconds * 3, connections)
            else:
                # Counting the queries posted comments since the first warm-up: warm it again.
                benchmark.warm_up(base_url, page, times=1)
                result = benchmark.run_wrk(
                    base_url,
                    page,
                    seconds=durations[page.key],
                    connections=connections,
                    threads=options["threads"],
                )
            result.queries = queries[page.key]
            results.append(result)
            self.progress(
                f"  {page.name:<40} {result.rate:8.1f} req/s  p99 {result.p99_ms:7.1f} ms"
                + (f"  errors {result.errors}" if result.errors else "")
            )
        floor = benchmark.floor_of(results)
        floor_again = benchmark.run_wrk(
            base_url, pages[0], seconds=seconds, connections=connections, threads=options["threads"]
        )

        title = options["label"] or "this data set"
        self.stdout.write("")
        self.stdout.write(
            f"Pages of the {title} on {connection.vendor} ({data}); wrk -t{options['threads']} "
            f"-c{connections}, {seconds:g} s a page (up to {3 * seconds:g} s for slow ones and "
            "posting), gzip accepted; queries counted in-process"
        )
        for line in benchmark.main_table(results):
            self.stdout.write(line)
        drift = benchmark.ratio(floor_again.rate, floor.rate) - 1
        self.stdout.write(
            f"The floor again at the end: {floor_again.rate:.1f} req/s ({drift:+.0%}), "
            f"p99 {floor_again.p99_ms:.1f} ms"
            + ("  (the machine's load changed during the run)" if abs(drift) > 0.2 else "")
        )
        output = {
            "label": title,
            "database": connection.vendor,
            "data": data,
            "seconds": seconds,
            "connections": connections,
            "pages": benchmark.as_json(results),
            "floor_again": benchmark.as_json([floor_again])[0],
        }
        if options["growth"]:
            small = json.loads(options["growth"].read_text())
            self.stdout.write("")
            self.stdout.write(
                f"Growth with data: from the {small['label']} ({small['data']}) -> {title}; "
                "flat is the goal"
            )
            for line in benchmark.growth_table(benchmark.from_json(small["pages"]), results):
                self.stdout.write(line)
            output["small"] = small
        if options["json"]:
            options["json"].write_text(json.dumps(output, indent=2))

    def duration(self, base_url: str, page: benchmark.Page, seconds: float) -> float:
        """How long to load `page`: `seconds`, or up to three times as long for a page so slow
        that fewer than MIN_SAMPLES requests would be measured. Checks that it answers 200."""
        try:
            fastest = benchmark.warm_up(base_url, page)
        except LookupError as error:
            raise CommandError(str(error)) from None
        needed = benchmark.MIN_SAMPLES * fastest / (os.cpu_count() or 1)
        return round(min(max(seconds, needed), 3 * seconds))

    def post_comments(self, base_url, page, seconds, connections):
        started = time.monotonic()
        forms = benchmark.open_forms(base_url, page.url, connections)
        took = time.monotonic() - started
        self.progress(f"  {len(forms)} visitors opened the page in {took:.1f} s")
        # A person takes longer than SPAM_MIN_SECONDS to write: so do these guests.
        newest = max(form.opened_at for form in forms)
        time.sleep(max(settings.SPAM_MIN_SECONDS + 0.5 - (time.monotonic() - newest), 0))
        return benchmark.post_comments(forms, page, seconds=seconds)

    def progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
