"""Public pages rendered once and served to every visitor who has no personal cookie.

A view opts in with `public_page`; everything else answers `Cache-Control: private, no-store`.
A page is kept in Django's default cache under a key made of:

- the code version (CACHE_VERSION, or a hash of the deployed Python, templates and static
  manifest), so that a release never serves a page rendered by the old templates;
- the content generation, which `content_changed()` replaces whenever something a public page
  shows has changed (an article, a category, a tag, a published comment, a public question);
- whether the client takes gzip, and the page's absolute address with its query string.

One generation for the whole site rather than one per object: an article's change reaches the
home page, the lists, its category and tags, the feeds, the sitemap and its neighbours' "next"
and "related" links, and a site like this one is read thousands of times for each write, so
re-rendering everything after a write costs little and leaves no dependency to forget.
An entry also expires at the next scheduled article's publish time, so no job is needed.
"""

import functools
import hashlib
import logging
import re
import time
import uuid
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from painrelief.db_router import replica_reads

logger = logging.getLogger(__name__)
GENERATION_KEY = "pages:generation"
CHANGED_AT_KEY = "pages:changed-at"
PROCESS_CACHE = "django.core.cache.backends.locmem.LocMemCache"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
SOURCE_FOLDERS = ("painrelief", "articles", "questions", "templates")
SOURCE_SUFFIXES = (".py", ".html", ".txt", ".xml")
# Asking for one of these means the page may differ for this visitor: never the shared copy.
NOT_SHARED_PARAMETERS = ("replytocom",)
# The parameters public pages read. An address with any other (?utm_source=, random junk) is
# rendered, not kept: made-up addresses cannot fill the cache.
KEPT_PARAMETERS = frozenset({"page", "cpage", "q", "area", "p"})  # p: the sitemap's pages
# A page missing from the cache is rendered by the first request for it; the others that arrive
# meanwhile wait for its copy (up to RENDER_WAIT_SECONDS, polling) instead of each rendering it:
# after a change, a busy page costs one render, not one per visitor at that moment. A render
# that dies holds the others back at most RENDER_CLAIM_SECONDS.
RENDER_WAIT_SECONDS = 3.0
RENDER_CLAIM_SECONDS = 10
RENDER_POLL_SECONDS = 0.02


@functools.cache
def code_version() -> str:
    """CACHE_VERSION, or a digest of the code and templates that render the pages."""
    if settings.CACHE_VERSION:
        return settings.CACHE_VERSION
    digest = hashlib.sha256()
    sources = [
        path
        for folder in SOURCE_FOLDERS
        for path in (settings.BASE_DIR / folder).rglob("*")
        if path.suffix in SOURCE_SUFFIXES and path.is_file()
    ]
    manifest = settings.STATIC_ROOT / "staticfiles.json"  # hashed static names, in production
    if manifest.is_file():
        sources.append(manifest)
    for path in sorted(sources):
        name = (
            path.relative_to(settings.BASE_DIR) if path.is_relative_to(settings.BASE_DIR) else path
        )
        digest.update(str(name).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def content_changed() -> None:
    """Every cached page is stale from now on: call it where public content changes.

    Once now, for the rest of this request, and once more after the commit: a page rendered
    by another request between the two from the old rows would otherwise be kept.
    """
    _new_generation()
    transaction.on_commit(_new_generation)


def watch(
    model, *, on_save: bool = True, new_rows: bool = True, ignore_fields=(), only_if=None
) -> None:
    """Saving or deleting a row of `model` (its many-to-many links too) is a content change.

    For rows written outside any service, by the admin's forms and actions: articles,
    categories, tags, pictures, reports, the names and avatars of comments' authors.
    """
    ignored = frozenset(ignore_fields)

    def changed(sender, instance=None, update_fields=None, created=False, **kwargs):
        if (update_fields and set(update_fields) <= ignored) or (created and not new_rows):
            return
        if only_if is not None and instance is not None and not only_if(instance):
            return
        content_changed()

    uid = f"pagecache:{model._meta.label_lower}"
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    if on_save:
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                changed, sender=field.remote_field.through, weak=False, dispatch_uid=uid
            )


def _new_generation() -> None:
    cache.set_many({GENERATION_KEY: uuid.uuid4().hex, CHANGED_AT_KEY: time.time()}, timeout=None)


def _replica_may_lag() -> bool:
    """With a read replica, a page rendered within REPLICA_PIN_SECONDS of a change may have
    been read from rows the replica has not replayed yet: it is sent, but not kept."""
    if not settings.READ_REPLICA:
        return False
    changed_at = cache.get(CHANGED_AT_KEY)
    return changed_at is not None and time.time() - changed_at < settings.REPLICA_PIN_SECONDS


@receiver(setting_changed)
def _settings_changed(**kwargs) -> None:
    """Pages rendered under other settings (tests change them) are not served."""
    code_version.cache_clear()
    try:
        _new_generation()
    except Exception:  # CACHES itself changed to a cache that cannot be written
        logger.exception("The page cache is unreachable")


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY, "")
    return generation


def page_key(request) -> str:
    encoding = "gzip" if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")) else "id"
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"pages:{code_version()}:{_generation()}:{encoding}:{address}"


def public_page(view=None, *, seconds: int | None = None):
    """The view's page is the same for everyone without a personal cookie: proxies may keep it
    for PUBLIC_MAX_AGE seconds, and the site's cache for `seconds` (PAGE_CACHE_SECONDS)."""

    def decorator(view_func):
        @functools.wraps(view_func)
        def wrapped(request, *args, **kwargs):
            # Templates read it: the shared copy leaves the per-visitor parts to the browser.
            request.shared_copy = getattr(request, "page_cache_eligible", False)
            response = view_func(request, *args, **kwargs)
            if request.shared_copy and response.status_code == 200:
                patch_cache_control(
                    response,
                    public=True,
                    max_age=settings.PUBLIC_MAX_AGE,
                    stale_while_revalidate=settings.PUBLIC_STALE_WHILE_REVALIDATE,
                )
                # A shared cache must not give this copy to a signed-in reader (whose browser
                # sends a session cookie); first visits send no cookie and all share it.
                patch_vary_headers(response, ["Cookie"])
                response.page_cache_seconds = seconds or settings.PAGE_CACHE_SECONDS
            return response

        wrapped.is_public_page = True  # the middleware claims the renders of its pages
        return wrapped

    return decorator(view) if view is not None else decorator


def make_private(response) -> None:
    response.headers["Cache-Control"] = "private, no-store"


def is_public(response) -> bool:
    directives = {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")}
    return "public" in directives


class PageCacheMiddleware:
    """Serves and stores the shared copy of public pages; makes every other answer private.

    It sits above GZipMiddleware, so that a page is compressed once, not once per visitor.
    """

    def __init__(self, get_response):
        from django.contrib.messages.storage.cookie import CookieStorage

        from articles.models import Article
        from painrelief.comments.guests import OWN_COMMENTS_COOKIE

        self.get_response = get_response
        # A session (a signed-in reader, the coach), a flash message, a guest's own comments.
        self.personal_cookies = (
            settings.SESSION_COOKIE_NAME,
            CookieStorage.cookie_name,
            OWN_COMMENTS_COOKIE,
        )
        self.next_publish_time = Article.objects.next_publish_time

    def __call__(self, request):
        request.page_cache_eligible = self.wants_shared_copy(request)
        key = claim = None
        if request.page_cache_eligible and request.GET.keys() <= KEPT_PARAMETERS:
            try:
                key = page_key(request)
                stored = cache.get(key)
            except Exception:  # the cache is a shortcut: when it is away, pages are rendered
                logger.exception("The page cache is unreachable")
                key = stored = None
            if stored is None and key is not None and renders_shared_copy(request):
                claim, stored = claim_render(key)
            if stored is not None:
                return self.from_cache(request, *stored)
        try:
            response = self.get_response(request)
            if is_public(response):
                if response.cookies or not request.page_cache_eligible:
                    make_private(response)
                elif request.method == "GET" and response.status_code == 200:
                    self.store(key, response)
            elif not response.has_header("Cache-Control"):
                make_private(response)
        finally:
            if key is not None and claim:
                release_render(key, claim)
        return response

    def wants_shared_copy(self, request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not any(name in request.COOKIES for name in self.personal_cookies)
            and not any(name in request.GET for name in NOT_SHARED_PARAMETERS)
            and "Authorization" not in request.headers
        )

    def store(self, key, response) -> None:
        if key is None or response.streaming:
            return
        timeout = getattr(response, "page_cache_seconds", settings.PAGE_CACHE_SECONDS)
        if settings.CACHES["default"]["BACKEND"] == PROCESS_CACHE:
            # Each worker process has its own: a change made through another is not seen here,
            # so keep pages no longer than a proxy may (without CACHE_DIR or Redis).
            timeout = min(timeout, settings.PUBLIC_MAX_AGE)
        if _replica_may_lag():
            return
        try:
            with replica_reads():  # a shared copy, like the page it is stored with
                next_publish = self.next_publish_time()
        except DatabaseError:  # a page that needs no database (privacy), while it is away
            return
        if next_publish is not None:
            timeout = min(timeout, seconds_until(next_publish))
        if timeout > 0:
            try:
                cache.set(key, (response.content, list(response.headers.items())), timeout)
            except Exception:
                logger.exception("The page cache is unreachable")

    def from_cache(self, request, content, headers):
        response = HttpResponse(content)
        for name, value in headers:
            response.headers[name] = value
        return get_conditional_response(request, etag=response.get("ETag"), response=response)


def renders_shared_copy(request) -> bool:
    """Whether the view of the address is a `public_page`: only their renders are claimed (an
    answer that is never kept, robots.txt, a form, a 404, costs no claim in the cache)."""
    try:
        return getattr(resolve(request.path_info).func, "is_public_page", False)
    except Resolver404:
        return False


def claim_render(key: str) -> tuple[str | None, tuple | None]:
    """(a claim to render the page of `key`, None), or (None, the copy another request
    rendered meanwhile), or (None, None) when it did not store one in time: render it then."""
    claim, claim_key = uuid.uuid4().hex, f"{key}:rendering"
    try:
        if cache.add(claim_key, claim, RENDER_CLAIM_SECONDS):
            return claim, None
        deadline = time.monotonic() + RENDER_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(RENDER_POLL_SECONDS)
            stored = cache.get(key)
            if stored is not None:
                return None, stored
            if cache.get(claim_key) is None:
                return None, None  # rendered but not kept (an error page, a cookie): ours too
    except Exception:
        logger.exception("The page cache is unreachable")
    return None, None


def release_render(key: str, claim: str) -> None:
    try:
        claim_key = f"{key}:rendering"
        if cache.get(claim_key) == claim:  # not a claim taken after ours expired
            cache.delete(claim_key)
    except Exception:
        logger.exception("The page cache is unreachable")


def seconds_until(moment: datetime) -> int:
    return max(int((moment - timezone.now()).total_seconds()), 0)
