from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Q
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.tasks import default_task_backend
from django.templatetags.static import static
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from articles.search import search_articles
from questions.search import search_questions

from .text import query_text


class SearchView(TemplateView):
    """The site search: PostgreSQL full-text search with ranking, or a word match on SQLite."""

    template_name = "pages/search.html"

    def get_context_data(self, **kwargs):
        query = " ".join(query_text(self.request.GET.get("q", "")).split())[:200]
        page = search_articles(query, page=self.request.GET.get("page") or 1) if query else None
        # Questions answered come beside the articles, on the first page of results.
        questions = search_questions(query) if query and (not page or page.number == 1) else []
        return super().get_context_data(query=query, page_obj=page, questions=questions, **kwargs)


class PrivacyView(TemplateView):
    """The privacy page, with the periods read from the settings that enforce them."""

    template_name = "pages/privacy.html"

    def get_context_data(self, **kwargs):
        periods = {
            "trace_days": settings.TRACE_RETENTION_DAYS,
            "question_days": settings.QUESTIONS_RETENTION_DAYS,
            "link_days": settings.QUESTIONS_LINK_MAX_AGE_DAYS,
            "spam_days": settings.SPAM_HISTORY_DAYS,
            "sent_email_days": settings.EMAIL_KEEP_SENT_DAYS,
            "session_days": settings.SESSION_COOKIE_AGE // 86400,
            "login_cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "login_history_days": settings.LOGIN_HISTORY_DAYS,
        }
        return super().get_context_data(**periods, **kwargs)


# A task waiting longer than this means no worker is running (or it cannot keep up).
QUEUE_LAG_LIMIT = timedelta(minutes=5)


@never_cache
def healthz(request):
    """For a load balancer: 200 when the database, the cache, the task queue (and the read
    replica, when there is one) work, else 503 naming what fails."""
    checks = {
        "database": _database_works(DEFAULT_DB_ALIAS),
        "cache": _cache_works(),
        "queue": _queue_works(),
    }
    if settings.READ_REPLICA:
        checks["replica"] = _database_works(settings.READ_REPLICA)
    return JsonResponse(
        {name: "ok" if works else "failing" for name, works in checks.items()},
        status=200 if all(checks.values()) else 503,
    )


def _database_works(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _cache_works() -> bool:
    # A key of its own: with Redis, other processes check at the same moment.
    key, value = f"healthz:{get_random_string(12)}", get_random_string(12)
    try:
        cache.set(key, value, 10)
        works = cache.get(key) == value
        cache.delete(key)
    except Exception:  # any backend's failure (Redis down, a full disk) means "failing"
        return False
    return works


def _queue_works() -> bool:
    if not default_task_backend.supports_defer:  # the immediate backend: no queue to watch
        return True
    from django_tasks_db.models import DBTaskResult, get_date_max

    late = timezone.now() - QUEUE_LAG_LIMIT
    # Due since: its run_after, or for a task to run at once (run_after "never"), its enqueueing.
    waiting_too_long = Q(run_after=get_date_max(), enqueued_at__lt=late) | Q(run_after__lt=late)
    try:
        waiting = DBTaskResult.objects.using(DEFAULT_DB_ALIAS).ready().filter(waiting_too_long)
        return not waiting.exists()
    except DatabaseError:
        return False


def web_manifest(request):
    """The app manifest: the site's name and icons for phones' home screens."""
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    manifest = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "start_url": "/",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": "#0b5d6b",
        "icons": icons,
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static file."""
    return HttpResponsePermanentRedirect(static("icons/favicon.ico"))
