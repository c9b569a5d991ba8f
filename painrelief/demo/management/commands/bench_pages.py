import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Category, Tag


class Command(BaseCommand):
    help = (
        "Time the public pages against the current database (seed it first, e.g. "
        "`seed_demo --articles 500`) and print the median time and SQL queries per page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=20, help="Requests per page.")

    def handle(self, *args, **options):
        article = Article.objects.published().order_by("-published_at").first()
        category = Category.objects.filter(articles__isnull=False).first()
        tag = Tag.objects.filter(articles__isnull=False).first()
        if article is None:
            self.stderr.write("No published article: run seed_demo first.")
            return
        pages = {
            "home": reverse("home"),
            "article list": reverse("articles:list"),
            "article list, last page": reverse("articles:list") + "?page=last",
            "category": category.get_absolute_url(),
            "tag": tag.get_absolute_url(),
            "article": article.get_absolute_url(),
            "search": reverse("search") + "?q=knot+shoulder",
            "RSS feed": reverse("articles:feed"),
            "sitemap": "/sitemap.xml",
        }
        client = Client()
        self.stdout.write(
            f"{Article.objects.published().count()} published articles, "
            f"{connection.vendor}, {options['requests']} requests a page\n"
        )
        self.stdout.write(f"{'page':<26}{'median ms':>10}{'max ms':>9}{'queries':>9}{'KB':>7}")
        for name, url in pages.items():
            timings = []
            for _ in range(options["requests"]):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url, HTTP_HOST="127.0.0.1")
                    timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    self.stderr.write(f"{url}: HTTP {response.status_code}")
                    break
            self.stdout.write(
                f"{name:<26}{statistics.median(timings):>10.1f}{max(timings):>9.1f}"
                f"{len(queries):>9}{len(response.content) / 1024:>7.0f}"
            )
