from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, RequestFactory

from articles.models import Article
from painrelief import pagecache
from painrelief.comments.models import Comment
from painrelief.comments.templatetags.comments import comment_post_url
from painrelief.demo import articles, benchmark

HOST = "127.0.0.1"


@pytest.fixture
def small_site(monkeypatch):
    """Four articles (the guide with six comments, the others two) and eight questions."""
    monkeypatch.setattr(articles, "ILLUSTRATED", 0)
    call_command(
        "seed_demo",
        "--articles", "4", "--comments-per-article", "2", "--busy-articles", "1:6",
        "--questions", "8",
        stdout=StringIO(),
    )  # fmt: skip


@pytest.mark.django_db
def test_the_benchmark_finds_issue_11s_pages_and_each_answers(small_site):
    pages = benchmark.pages()

    assert [page.key for page in pages] == [
        "floor", "home", "articles", "category", "tag", "search", "busiest", "busy",
        "questions", "question", "rss", "sitemap", "sitemap-questions", "post",
    ]  # fmt: skip
    guide = Article.objects.published().order_by("pk").first()
    by_key = {page.key: page for page in pages}
    assert by_key["busiest"].url == by_key["post"].url == guide.get_absolute_url()
    assert by_key["busiest"].name == "article, 6 comments"
    assert by_key["busy"].name == "article, 2 comments"
    client = Client(HTTP_HOST=HOST)
    for page in pages:
        assert client.get(page.url).status_code == 200, page.url


@pytest.mark.django_db
def test_the_comment_form_is_read_from_the_page_as_a_browser_sends_it(small_site):
    guide = Article.objects.published().order_by("pk").first()
    client = Client(enforce_csrf_checks=True, HTTP_HOST=HOST)

    action, fields = benchmark.open_comment_form(
        lambda url: client.get(url).content.decode(), guide.get_absolute_url()
    )

    assert action == comment_post_url(guide)
    assert fields["csrfmiddlewaretoken"] and fields["form_stamp"]
    assert fields["homepage"] == fields["parent"] == ""
    without_token = {k: v for k, v in fields.items() if k != "csrfmiddlewaretoken"}
    assert client.post(action, benchmark.comment_data(without_token, 1)).status_code == 403
    response = client.post(action, benchmark.comment_data(fields, 2))
    assert response.status_code == 302 and "#comment-" in response["Location"]


@pytest.mark.django_db
def test_each_post_is_a_new_submission_judged_by_the_spam_defence(small_site):
    guide = Article.objects.published().order_by("pk").first()
    client = Client(enforce_csrf_checks=True, HTTP_HOST=HOST)
    action, fields = benchmark.open_comment_form(
        lambda url: client.get(url).content.decode(), guide.get_absolute_url()
    )

    for number in (1, 2, 3):
        assert client.post(action, benchmark.comment_data(fields, number)).status_code == 302

    posted = Comment.objects.filter(name__startswith="Bench reader")
    assert posted.count() == 3
    assert (
        posted.values("body").distinct().count() == posted.values("email").distinct().count() == 3
    )
    for comment in posted:
        assert comment.status == Comment.Status.PENDING  # first-time guests wait for a moderator
        assert "first-time" in comment.reason_codes.split()


@pytest.mark.django_db
def test_queries_are_counted_for_pages_and_for_posting(small_site):
    pages = {page.key: page for page in benchmark.pages()}

    assert benchmark.count_queries(pages["floor"], HOST) == 0
    assert benchmark.count_queries(pages["busiest"], HOST) > 3
    before = Comment.objects.count()
    assert benchmark.count_queries(pages["post"], HOST) > 3
    assert Comment.objects.count() == before + 2  # a warm-up post, then the counted one


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_visitors_post_comments_to_a_real_server(small_site, live_server):
    post = benchmark.pages()[-1]

    # One visitor: the live server's threads share one SQLite connection, which cannot take
    # two transactions at once (gunicorn's processes each have their own).
    forms = benchmark.open_forms(live_server.url, post.url, 1)
    result = benchmark.post_comments(forms, post, seconds=3)

    assert len(forms) == 1 and not result.errors
    assert result.requests >= 2 and result.rate > 0 and result.p99_ms >= result.p50_ms > 0
    assert Comment.objects.filter(name__startswith="Bench reader").count() == result.requests


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_warm_up_caches_the_compressed_copy_that_wrk_asks_for(small_site, live_server):
    page = next(page for page in benchmark.pages() if page.key == "busy")
    as_wrk_asks = RequestFactory().get(
        page.url,
        HTTP_HOST=live_server.url.removeprefix("http://"),
        HTTP_ACCEPT_ENCODING=benchmark.WRK_ACCEPT_ENCODING,
    )
    assert cache.get(pagecache.page_key(as_wrk_asks)) is None

    assert benchmark.warm_up(live_server.url, page) > 0

    assert cache.get(pagecache.page_key(as_wrk_asks)) is not None


def result(key, rate, p99, **kwargs):
    return benchmark.Result(key, key, "/", requests=int(rate * 4), seconds=4, p99_ms=p99, **kwargs)


def test_the_table_gives_each_page_its_share_of_the_floor_and_the_targets():
    results = [
        result("floor", 1000, 10),
        result("home", 600, 25),  # 60% of the floor, p99 2.5x: met
        result("search", 400, 20),  # 40%: not met
        result("busiest", 800, 40),  # p99 4x: not met
        result("post", 60, 900),  # 6%: met
    ]

    lines = benchmark.main_table(results)

    rows = {line.split()[0]: line for line in lines[2:]}
    assert "60.0%" in rows["home"] and " met (" in rows["home"]
    assert "40.0%" in rows["search"] and "NOT met" in rows["search"]
    assert "4.0x" in rows["busiest"] and "NOT met" in rows["busiest"]
    assert "6.0%" in rows["post"] and " met (>= 5%" in rows["post"]


def test_the_growth_table_compares_the_same_pages():
    small = [result("floor", 1000, 10, queries=0), result("busiest", 100, 50, queries=9)]
    large = [result("floor", 1000, 10, queries=0), result("busiest", 25, 200, queries=9)]

    lines = benchmark.growth_table(small, large)

    busiest = next(line for line in lines if line.startswith("busiest article"))
    assert busiest.split()[2:5] == ["100.0", "25.0", "25%"]
