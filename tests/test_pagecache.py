"""Public pages come from the cache for visitors with no personal cookie, and stay correct:
every change readers could see invalidates them; personal pages are never served from it
nor stored in it; anonymous pages set no cookie; ETags give 304s (issue 11, items 3 to 5)."""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from painrelief import pagecache
from painrelief.comments import services as comment_services
from painrelief.comments.guests import OWN_COMMENTS_COOKIE
from painrelief.comments.models import Comment
from painrelief.spam import defence
from questions import services as question_services
from tests.comments.conftest import GUEST, form_stamp
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
    coach,
    moderator,
)

pytestmark = pytest.mark.django_db


def public_urls(article, question):
    return {
        "home": reverse("home"),
        "article list": reverse("articles:list"),
        "category": article.category.get_absolute_url(),
        "tag": article.tags.first().get_absolute_url(),
        "article": article.get_absolute_url(),
        "article, second page of comments": article.get_absolute_url() + "?cpage=2",
        "question list": reverse("questions:list"),
        "public question": question.get_absolute_url(),
        "RSS": reverse("articles:feed"),
        "Atom": reverse("articles:feed-atom"),
        "questions feed": reverse("questions:feed"),
        "sitemap": reverse("sitemap"),
        "sitemap of questions": reverse("sitemap-section", kwargs={"section": "questions"}),
        "search": reverse("search") + "?q=knot",
        "privacy": reverse("privacy"),
    }


@pytest.fixture
def pages():
    article = ArticleFactory(title="Knots under the shoulder blade", tags=[TagFactory()])
    CommentFactory(target=article, body="Heat helped me the most.")
    return public_urls(article, QuestionFactory(public=True))


def served_from_cache(client, url, django_assert_num_queries, **headers) -> bool:
    """Whether the page came from the cache (no query at all)."""
    try:
        with django_assert_num_queries(0):
            client.get(url, headers=headers)
    except pytest.fail.Exception:
        return False
    return True


GZIP = {"Accept-Encoding": "gzip"}


# --- The shared copy: cookie-free, public, compressed once, 304 --------------------------


def test_an_anonymous_visit_of_a_public_page_sets_no_cookie_and_may_be_kept_by_a_proxy(
    client, pages, settings
):
    settings.PUBLIC_MAX_AGE, settings.PUBLIC_STALE_WHILE_REVALIDATE = 45, 15
    problems = {}
    for name, url in pages.items():
        for attempt in ("rendered", "from the cache"):
            response = client.get(url)
            cache_control = set(response["Cache-Control"].split(", "))
            if response.status_code != 200 or response.cookies:
                problems[f"{name} ({attempt})"] = (response.status_code, response.cookies)
            if cache_control != {"public", "max-age=45", "stale-while-revalidate=15"}:
                problems[f"{name} ({attempt})"] = response["Cache-Control"]
            if "Cookie" not in response["Vary"] or "csrfmiddlewaretoken" in response.text:
                problems[f"{name} ({attempt})"] = "Vary or token"
    assert problems == {}


def test_public_pages_are_served_from_the_cache_compressed_once(
    client, pages, django_assert_num_queries
):
    for url in pages.values():
        first = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert served_from_cache(client, url, django_assert_num_queries, **GZIP), url
        again = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert again.content == first.content
    article = pages["article"]
    plain = client.get(article)
    gzipped = client.get(article, headers={"Accept-Encoding": "gzip"})
    assert gzipped["Content-Encoding"] == "gzip" and not plain.has_header("Content-Encoding")
    assert len(gzipped.content) < len(plain.content) / 2


@pytest.mark.parametrize("page", ["article", "RSS", "sitemap", "home"])
def test_a_page_or_feed_answers_304_when_the_browser_has_it_already(client, pages, page):
    url = pages[page]
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    etag = first["ETag"]

    rendered = client.get(url + ("&" if "?" in url else "?") + "fresh=1")  # another address
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})

    assert rendered.status_code == 200
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "public" in again["Cache-Control"]


def test_a_page_rendered_again_after_a_change_has_another_etag(client, article):
    before = client.get(article.get_absolute_url())["ETag"]
    held = CommentFactory(target=article, status="pending")
    comment_services.moderate(comments=[held], status="approved")

    response = client.get(article.get_absolute_url(), headers={"If-None-Match": before})

    assert response.status_code == 200 and response["ETag"] != before


# --- Invalidation: every change readers could see ----------------------------------------


@pytest.fixture
def article(db):
    tag = TagFactory(name="posture")
    return ArticleFactory(title="Knots between the shoulder blades", tags=[tag])


def warm(client, *urls):
    for url in urls:
        assert client.get(url).status_code == 200


def test_an_article_edited_in_the_admin_shows_everywhere_at_once(client, article):
    urls = [
        reverse("home"),
        reverse("articles:list"),
        article.get_absolute_url(),
        reverse("articles:feed"),
    ]
    warm(client, *urls)
    admin = Client()
    admin.force_login(article.author)
    change = reverse("admin:articles_article_change", args=[article.pk])
    form = admin.get(change).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("tags", "published_at", "hero")
    }
    data.update(
        title="Knots, renamed",
        tags=[tag.pk for tag in article.tags.all()],
        published_at_0=article.published_at.strftime("%Y-%m-%d"),
        published_at_1=article.published_at.strftime("%H:%M:%S"),
    )

    response = admin.post(change, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    for url in urls:
        assert "Knots, renamed" in client.get(url).text, url


def test_a_category_or_tag_renamed_shows_on_the_article_and_its_lists(client, article):
    warm(client, article.get_absolute_url(), article.category.get_absolute_url())
    category, tag = article.category, article.tags.get()

    category.name = "Upper back, renamed"
    category.save()
    tag.name = "posture-renamed"
    tag.save()

    assert "Upper back, renamed" in client.get(article.get_absolute_url()).text
    assert "posture-renamed" in client.get(article.get_absolute_url()).text


def test_a_tag_added_to_an_article_shows_on_its_page(client, article):
    warm(client, article.get_absolute_url())

    article.tags.add(TagFactory(name="sleep"))

    assert "sleep" in client.get(article.get_absolute_url()).text


def test_an_approved_comment_appears_and_an_unapproved_one_goes(client, article):
    held = CommentFactory(target=article, status="pending", body="Waiting for the moderator.")
    warm(client, article.get_absolute_url())

    comment_services.moderate(comments=[held], status="approved")
    assert "Waiting for the moderator." in client.get(article.get_absolute_url()).text

    comment_services.moderate(comments=[held], status="pending")
    assert "Waiting for the moderator." not in client.get(article.get_absolute_url()).text


def test_a_published_comment_appears_at_once(client, article, django_capture_on_commit_callbacks):
    warm(client, article.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_services.post_comment(
            target=article, body="The coach's answer, published at once.", user=coach()
        )

    assert comment.is_public
    assert "The coach's answer, published at once." in client.get(article.get_absolute_url()).text


def test_a_moderators_correction_shows_at_once(client, article):
    comment = CommentFactory(target=article, body="Teh knot eased.")
    warm(client, article.get_absolute_url())
    comment.body = "The knot eased."

    comment_services.save_moderator_edit(
        comment=comment, changed_fields=["body"], new_status="approved", moderator=moderator()
    )

    assert "The knot eased." in client.get(article.get_absolute_url()).text


@pytest.mark.parametrize("how", ["removed by a moderator", "deleted by its author", "admin"])
def test_a_removed_comment_goes_at_once(client, article, how):
    comment = CommentFactory(target=article, body="Soon to be gone.")
    warm(client, article.get_absolute_url())

    if how == "removed by a moderator":
        comment_services.moderate(comments=[comment], status="removed")
    elif how == "deleted by its author":
        comment_services.delete_own_comment(comment=comment)
    else:
        Comment.objects.filter(pk=comment.pk).delete()  # the admin's delete action

    assert "Soon to be gone." not in client.get(article.get_absolute_url()).text


def test_a_comment_hidden_by_readers_reports_goes_at_once(client, article, settings):
    settings.COMMENT_REPORTS_TO_HIDE = 2
    comment = CommentFactory(target=article, body="Buy my miracle cream.")
    warm(client, article.get_absolute_url())

    for ip in ("203.0.113.1", "203.0.113.2"):
        comment_services.report_comment(
            comment=comment,
            reason="spam",
            spam_context=defence.Context("report", ip=ip, seconds_to_submit=30),
        )

    assert "Buy my miracle cream." not in client.get(article.get_absolute_url()).text


def test_a_question_published_edited_and_withdrawn_shows_at_once(client):
    question = QuestionFactory(public=True, consent="pending", published_at=None)
    warm(client, reverse("questions:list"))

    assert question_services.approve_public_text(question=question)
    assert question.public_title in client.get(reverse("questions:list")).text
    warm(client, question.get_absolute_url())

    question.answer = "Heat first, then gentle movement, and see a doctor if it spreads."
    question_services.save_coach_edits(question=question, changed_fields=["answer"])
    assert client.get(question.get_absolute_url()).status_code == 404  # offline until agreed

    question.refresh_from_db()
    question_services.request_consent(question=question)
    assert question_services.approve_public_text(question=question)
    assert "see a doctor if it spreads" in client.get(question.get_absolute_url()).text

    question_services.decline_public_text(question=question)
    assert client.get(question.get_absolute_url()).status_code == 404
    assert question.public_title not in client.get(reverse("questions:list")).text


def test_a_scheduled_article_appears_when_its_time_comes(client, article):
    client.get(reverse("home"))  # templates compiled: the next renders fit in the seconds left
    scheduled = ArticleFactory(
        title="Scheduled for three seconds from now",
        published_at=timezone.now() + timedelta(seconds=3),
    )
    assert scheduled.title not in client.get(reverse("home")).text
    assert client.get(reverse("home")).text == client.get(reverse("home")).text

    time.sleep(max((scheduled.published_at - timezone.now()).total_seconds(), 0) + 0.1)

    assert scheduled.title in client.get(reverse("home")).text


def test_a_new_release_does_not_serve_pages_of_the_old_code(settings, tmp_path):
    """The code version is a digest of code and templates (or CACHE_VERSION), in the key."""
    settings.BASE_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "base.html"
    template.write_text("<title>Old</title>")
    old = pagecache.code_version()
    template.write_text("<title>New</title>")
    pagecache.code_version.cache_clear()
    new = pagecache.code_version()
    settings.CACHE_VERSION = "release-2026-12-02"
    request = RequestFactory().get("/")

    assert old != new
    assert "release-2026-12-02" in pagecache.page_key(request)


# --- Personal pages: never the shared copy, never stored ---------------------------------


def visitor_then(client_of_person, url):
    """The anonymous page is cached first; then the person asks for the same address."""
    anonymous = Client()
    anonymous.get(url)
    response = client_of_person.get(url)
    return anonymous, response


@pytest.mark.parametrize("role", ["reader", "coach", "moderator"])
def test_signed_in_people_get_fresh_personal_pages_that_are_never_stored(client, article, role):
    person = {"reader": UserFactory, "coach": coach, "moderator": moderator}[role]()
    person.display_name = "Personal Pat"
    person.save()
    CommentFactory(target=article, user=person, email="", name="Personal Pat", status="pending")
    client.force_login(person)

    anonymous, response = visitor_then(client, article.get_absolute_url())

    assert "Personal Pat" in response.text  # the account menu and their held comment
    assert "csrfmiddlewaretoken" in response.text
    assert set(response["Cache-Control"].split(", ")) >= {"private", "no-store"}
    assert "Personal Pat" not in anonymous.get(article.get_absolute_url()).text


def test_the_coach_previews_a_draft_and_nobody_else_gets_it(client, article):
    draft = ArticleFactory(title="Draft notes", status="draft", published_at=None)
    client.force_login(draft.author)

    assert "Draft notes" in client.get(draft.get_absolute_url()).text
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_a_guest_sees_their_held_comment_after_reload_and_nobody_else_does(client, article):
    anonymous = Client()
    anonymous.get(article.get_absolute_url())  # the shared copy is cached
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})
    posted = client.post(url, {**GUEST, "form_stamp": form_stamp()}, follow=True)
    assert Comment.objects.get().status == "pending"
    assert "awaiting moderation" in posted.text  # the flash message's page

    reloaded = client.get(article.get_absolute_url())

    assert (
        GUEST["body"] in reloaded.text and "Your comment is awaiting moderation." in reloaded.text
    )
    assert "no-store" in reloaded["Cache-Control"]
    assert GUEST["body"] not in anonymous.get(article.get_absolute_url()).text


def test_a_page_with_a_flash_message_is_neither_served_from_nor_stored_in_the_cache(
    client, article
):
    warm(Client(), article.get_absolute_url())
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})
    client.post(url, {**GUEST, "form_stamp": form_stamp()})
    del client.cookies[OWN_COMMENTS_COOKIE]  # only the message's cookie is left
    assert list(client.cookies) == [CookieStorage.cookie_name]

    page = client.get(article.get_absolute_url())

    assert "Thank you: your comment is awaiting moderation." in page.text
    assert "no-store" in page["Cache-Control"]
    assert "Thank you" not in Client().get(article.get_absolute_url()).text


def test_replytocom_gets_a_fresh_form_with_its_token_that_is_not_stored(client, article):
    comment = CommentFactory(target=article, name="Anna")
    warm(client, article.get_absolute_url())

    response = client.get(f"{article.get_absolute_url()}?replytocom={comment.pk}")

    reply_title = '<span class="reply-title-text">Reply to Anna</span>'
    assert reply_title in response.text and "csrfmiddlewaretoken" in response.text
    assert "no-store" in response["Cache-Control"]
    assert reply_title not in Client().get(article.get_absolute_url()).text


def test_a_page_that_sets_a_cookie_is_never_public(rf):
    """A view marked public that sets a cookie anyway is made private, and not stored."""

    @pagecache.public_page
    def view(request):
        from django.http import HttpResponse

        response = HttpResponse("hello")
        response.set_cookie("tracking", "1")
        return response

    middleware = pagecache.PageCacheMiddleware(view)
    request = rf.get("/somewhere/")
    request.user = AnonymousUser()

    response = middleware(request)
    again = middleware(rf.get("/somewhere/"))

    assert response["Cache-Control"] == "private, no-store"
    assert again.cookies  # rendered again, not served from the cache


# --- The form's per-visitor parts: fetched after loading ----------------------------------


def form_of(html: str) -> str:
    return re.search(r'<form method="post" action="[^"]+/post/".*?</form>', html, re.S).group(0)


def test_the_cached_comment_form_is_complete_but_for_its_token_and_stamp(client, article):
    form = form_of(client.get(article.get_absolute_url()).text)

    assert "csrfmiddlewaretoken" not in form
    assert re.search(r'name="form_stamp"(?! value)', form)
    assert 'name="homepage"' in form and 'name="body"' in form and 'name="email"' in form
    assert "data-form-state=" in form and " disabled>" in form


def test_the_form_state_gives_this_visitor_a_token_a_stamp_and_never_caches(client, article):
    url = reverse("comments:form-state", kwargs={"label": "articles.article", "pk": article.pk})

    first, second = client.get(url), Client().get(url)

    assert first.json()["csrf_token"] and first.json()["form_stamp"]
    assert first.json()["form_stamp"] != second.json()["form_stamp"]
    assert "csrftoken" in first.cookies
    assert set(first["Cache-Control"].split(", ")) >= {"private", "no-store"}


def test_a_guest_posts_from_the_cached_page_with_the_fetched_token(article):
    browser = Client(enforce_csrf_checks=True)
    browser.get(article.get_absolute_url())
    state = browser.get(
        reverse("comments:form-state", kwargs={"label": "articles.article", "pk": article.pk})
    ).json()
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})

    without = Client(enforce_csrf_checks=True).post(url, {**GUEST, "form_stamp": form_stamp()})
    response = browser.post(
        url,
        {**GUEST, "form_stamp": state["form_stamp"], "csrfmiddlewaretoken": state["csrf_token"]},
    )

    assert without.status_code == 403
    assert response.status_code == 302 and Comment.objects.count() == 1


def test_the_form_state_brings_the_guests_held_comments_of_this_page(client, article):
    top = CommentFactory(target=article, name="Anna")
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})
    client.post(url, {**GUEST, "parent": top.pk, "form_stamp": form_stamp()})
    held = Comment.objects.get(parent=top)
    state_url = reverse(
        "comments:form-state", kwargs={"label": "articles.article", "pk": article.pk}
    )

    state = client.get(state_url).json()
    stranger = Client().get(state_url).json()

    assert [(c["id"], c["parent"]) for c in state["held"]] == [(held.pk, top.pk)]
    assert GUEST["body"] in state["held"][0]["html"]
    assert "Your comment is awaiting moderation." in state["held"][0]["html"]
    assert stranger["held"] == []
    assert OWN_COMMENTS_COOKIE in client.cookies


def test_without_javascript_the_form_has_a_page_of_its_own_with_its_token(client, article):
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})
    cached = client.get(article.get_absolute_url()).text
    assert f'href="{url}"' in cached  # in <noscript>

    page = client.get(url)

    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.text
    assert re.search(r'name="form_stamp" value="[^"]+"', page.text)
    assert "no-store" in page["Cache-Control"]
    assert "please correct" not in page.text


def test_the_cached_pages_report_link_leads_to_a_private_page_with_its_token(client, article):
    comment = CommentFactory(target=article)
    url = reverse("comments:report", args=[comment.pk])
    warm(client, article.get_absolute_url())
    cached = client.get(article.get_absolute_url())
    assert cached.headers["Cache-Control"].startswith("public")
    assert f'href="{url}"' in cached.text  # a plain link: no token in the shared copy

    page = client.get(url)

    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.text
    assert re.search(r'name="form_stamp" value="[^"]+"', page.text)
    assert "no-store" in page["Cache-Control"]


# --- Query counts -------------------------------------------------------------------------


# The session and its user; the target; the parent; the spam defence's checks (duplicates,
# the author's history, whether a fitted model exists, the classifier's statistics); the
# save; the emails' and the redirect's reads (the page of threads the comment is on).
POSTING_QUERIES = 19


@pytest.mark.parametrize("size", [5, 200])
def test_posting_a_comment_costs_the_same_queries_whatever_the_threads_size(
    client, article, django_assert_num_queries, size
):
    for _ in range(size // 5):
        top = CommentFactory(target=article)
        for _ in range(4):
            CommentFactory(parent=top)
    parent = Comment.objects.filter(parent=None).last()
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})
    client.force_login(UserFactory())

    with django_assert_num_queries(POSTING_QUERIES):
        response = client.post(
            url, {"body": "A reply of mine.", "parent": parent.pk, "form_stamp": form_stamp()}
        )

    assert response.status_code == 302
    assert Comment.objects.filter(body="A reply of mine.").exists()


def test_pages_are_rendered_when_the_cache_cannot_store_them(client, article, settings, tmp_path):
    """The cache is a shortcut: a broken one (here a folder that cannot be created) costs
    speed, never the page."""
    (tmp_path / "not-a-folder").write_text("")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "not-a-folder" / "cache"),
        }
    }

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200 and article.title in response.text


def test_an_authors_new_name_shows_on_their_comments_and_sign_ups_keep_the_cache(
    client, article, django_assert_num_queries
):
    reader = UserFactory(display_name="Old Name")
    CommentFactory(target=article, user=reader, email="", name="")
    warm(client, article.get_absolute_url())

    UserFactory()  # somebody signs up
    kept = served_from_cache(client, article.get_absolute_url(), django_assert_num_queries)
    reader.display_name = "New Name"
    reader.save()

    assert kept
    assert "New Name" in client.get(article.get_absolute_url()).text


def test_made_up_query_parameters_are_rendered_but_not_kept(
    client, article, django_assert_num_queries
):
    url = f"{article.get_absolute_url()}?utm_source=newsletter"
    first = client.get(url)

    assert "public" in first["Cache-Control"]
    assert not served_from_cache(client, url, django_assert_num_queries)
    client.get(f"{article.get_absolute_url()}?cpage=1")
    assert served_from_cache(
        client, f"{article.get_absolute_url()}?cpage=1", django_assert_num_queries
    )


@pytest.mark.parametrize("shared", [True, False])
def test_a_cache_of_each_process_keeps_pages_no_longer_than_a_proxy_may(
    client, article, settings, tmp_path, django_assert_num_queries, shared
):
    """Other workers' changes cannot reach a per-process cache: its pages live PUBLIC_MAX_AGE.
    A cache shared by the workers (CACHE_DIR, Redis) is told of every change: it keeps them."""
    if shared:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    settings.PUBLIC_MAX_AGE = 1
    client.get(article.get_absolute_url())

    time.sleep(1.2)

    assert (
        served_from_cache(client, article.get_absolute_url(), django_assert_num_queries) == shared
    )


# --- One render for many visitors ---------------------------------------------------------------


def page_cache_over(view) -> pagecache.PageCacheMiddleware:
    middleware = pagecache.PageCacheMiddleware(view)
    middleware.next_publish_time = lambda: None  # no scheduled article: no query from threads
    return middleware


def blocking_page(renders: list, started, release, status=200):
    """A public page whose render starts, then waits until the test releases it."""

    @pagecache.public_page
    def view(request):
        renders.append(status)
        started.set()
        assert release.wait(10)
        return HttpResponse("Knots, explained", status=status)

    return view


def in_threads(middleware, started, release, *, wait_seconds=0.3):
    """A first visitor's request, a second's while the first renders, then the render ends."""
    answers = {}

    def visit(name):
        answers[name] = middleware(RequestFactory().get(reverse("articles:list")))

    first = threading.Thread(target=visit, args=("first",))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=visit, args=("second",))
    second.start()
    time.sleep(wait_seconds)  # the second is asking the cache by now
    release.set()
    for thread in (first, second):
        thread.join(10)
        assert not thread.is_alive()
    return answers


def test_visitors_arriving_during_a_render_wait_for_its_copy():
    renders, started, release = [], threading.Event(), threading.Event()
    middleware = page_cache_over(blocking_page(renders, started, release))

    answers = in_threads(middleware, started, release)

    assert renders == [200]
    assert [answers[n].content for n in ("first", "second")] == [b"Knots, explained"] * 2


def test_a_render_not_kept_lets_the_waiting_visitors_render_at_once(monkeypatch):
    monkeypatch.setattr(pagecache, "RENDER_WAIT_SECONDS", 60)  # they do not wait it out
    renders, started, release = [], threading.Event(), threading.Event()
    middleware = page_cache_over(blocking_page(renders, started, release, status=404))

    answers = in_threads(middleware, started, release)

    assert renders == [404, 404]
    assert answers["second"].status_code == 404


def test_a_claim_is_released_when_the_render_fails():
    def broken(request):
        raise RuntimeError("template error")

    request = RequestFactory().get(reverse("articles:list"))
    with pytest.raises(RuntimeError):
        page_cache_over(broken)(request)

    # The next visitor renders at once, instead of waiting for the dead render's copy.
    assert cache.get(f"{pagecache.page_key(request)}:rendering") is None


def test_only_public_pages_claim_their_render():
    """An answer never kept (robots.txt, a 404) would only add a claim's writes to the cache."""
    factory = RequestFactory()

    assert pagecache.renders_shared_copy(factory.get(reverse("articles:list")))
    assert not pagecache.renders_shared_copy(factory.get("/robots.txt"))
    assert not pagecache.renders_shared_copy(factory.get("/no/such/page/"))
