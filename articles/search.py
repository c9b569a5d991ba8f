"""Article search: ranked full-text search on PostgreSQL, a word match elsewhere; same results.

Each result carries `snippet`: escaped text around the matches, with the matches in <mark>
(painrelief.search).
"""

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404

from painrelief.search import START, STOP, marked, search_terms, snippet_around

from .models import Article


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
