"""Article search: ranked full-text search on PostgreSQL, a word match elsewhere; same results.

Each result carries `snippet`: escaped text around the matches, with the matches in <mark>.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Article

START, STOP = "\x02", "\x03"  # markers no text contains: the snippet is escaped, then marked
SNIPPET_CHARS = 260


def search_vector() -> SearchVector:
    """The weighted document; the PostgreSQL migration indexes exactly this expression."""
    config = settings.ARTICLES_SEARCH_CONFIG
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("plain_text", weight="C", config=config)
    )


def search_articles(query: str, *, page=1):
    """One page of published articles matching `query`, best first; 404 for a page out of range."""
    is_postgresql = connection.vendor == "postgresql"
    results = _postgresql(query) if is_postgresql else _word_match(query)
    try:
        page_obj = Paginator(results, settings.ARTICLES_PER_PAGE).page(page)
    except InvalidPage as error:
        raise Http404 from error
    page_obj.object_list = list(page_obj.object_list)
    terms = search_terms(query)
    for article in page_obj.object_list:
        raw = article.snippet if is_postgresql else snippet_around(article.plain_text, terms)
        article.snippet = marked(raw)
    return page_obj


def _postgresql(query: str):
    config = settings.ARTICLES_SEARCH_CONFIG
    search_query = SearchQuery(query, search_type="websearch", config=config)
    return (
        Article.objects.published()
        .for_lists()
        .annotate(document=search_vector())
        .filter(document=search_query)
        .annotate(
            rank=SearchRank(search_vector(), search_query),
            snippet=SearchHeadline(
                "plain_text",
                search_query,
                config=config,
                start_sel=START,
                stop_sel=STOP,
                max_words=40,
                min_words=20,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-published_at")
    )


def search_terms(query: str) -> list[str]:
    return [term for term in re.findall(r"\w+", query.lower()) if len(term) > 1][:10]


def _word_match(query: str):
    articles = Article.objects.published().select_related("author", "category")
    terms = search_terms(query)
    if not terms:
        return articles.none()
    for term in terms:
        articles = articles.filter(
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(plain_text__icontains=term)
        )
    return articles.order_by("-published_at")


def snippet_around(text: str, terms: list[str]) -> str:
    lowered = text.lower()
    positions = [p for p in (lowered.find(term) for term in terms) if p >= 0]
    start = max(0, min(positions, default=0) - SNIPPET_CHARS // 3)
    if start:
        start = text.find(" ", start) + 1
    snippet = text[start : start + SNIPPET_CHARS].rsplit(" ", 1)[0]
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", snippet) if terms else snippet
    return ("… " if start else "") + marked + (" …" if start + SNIPPET_CHARS < len(text) else "")


def marked(snippet: str) -> str:
    return mark_safe(escape(snippet).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308
