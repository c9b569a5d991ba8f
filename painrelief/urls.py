from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView

from articles.sitemaps import ArticleSitemap, CategorySitemap
from articles.views import HomeView
from questions.sitemaps import QuestionSitemap

from .pagecache import public_page
from .security import csp_report
from .sitemaps import PageSitemap
from .views import PrivacyView, SearchView, favicon, healthz, web_manifest

SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "questions": QuestionSitemap,
}

handler400 = "painrelief.errors.bad_request"
handler500 = "painrelief.errors.server_error"


urlpatterns = [
    path("", public_page(HomeView.as_view()), name="home"),
    # An index of sections, each in pages (painrelief/sitemaps.py): robots.txt names the index.
    path(
        "sitemap.xml",
        public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    # Not cached: the benchmark's floor, a template view through every middleware.
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
    path("healthz", healthz, name="healthz"),
    path(settings.CSP_REPORT_PATH.lstrip("/"), csp_report, name="csp-report"),
    path("favicon.ico", favicon, name="favicon"),
    path("site.webmanifest", web_manifest, name="web-manifest"),
    path("privacy/", public_page(PrivacyView.as_view()), name="privacy"),
    path("accounts/", include("painrelief.accounts.urls")),
    # Before the articles: /articles/<slug>/ would take "search" for an article.
    path(
        "articles/search/",
        public_page(SearchView.as_view(), seconds=settings.SEARCH_CACHE_SECONDS),
        name="search",
    ),
    path("articles/downloads/", include("painrelief.downloads.urls")),
    path("articles/", include("articles.urls")),
    path("questions/", include("questions.urls")),
    path("comments/", include("painrelief.comments.urls")),
    path("subscribe/", include("painrelief.subscriptions.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
