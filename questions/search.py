"""Public questions in the site search, beside the articles (the same page and the same way:
ranked full-text search on PostgreSQL, a word match elsewhere)."""

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

from painrelief.search import START, STOP, marked, search_terms, snippet_around

from .models import Question

MAX_RESULTS = 5


def search_questions(query: str) -> list[Question]:
    """The best public questions for `query`, each with an escaped, marked `snippet`."""
    terms = search_terms(query)
    if not terms:
        return []
    public = Question.objects.public().only(
        "public_title", "public_key", "published_at", "public_body_text", "answer_text"
    )
    if connection.vendor == "postgresql":
        config = settings.ARTICLES_SEARCH_CONFIG
        search_query = SearchQuery(query, search_type="websearch", config=config)
        vector = (
            SearchVector("public_title", weight="A", config=config)
            + SearchVector("public_body_text", weight="B", config=config)
            + SearchVector("answer_text", weight="C", config=config)
        )
        results = list(
            public.annotate(document=vector)
            .filter(document=search_query)
            .annotate(
                rank=SearchRank(vector, search_query),
                snippet=SearchHeadline(
                    "public_body_text",
                    search_query,
                    config=config,
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=30,
                    min_words=15,
                ),
            )
            .order_by("-rank", "-published_at")[:MAX_RESULTS]
        )
    else:
        for term in terms:
            public = public.filter(
                Q(public_title__icontains=term)
                | Q(public_body_text__icontains=term)
                | Q(answer_text__icontains=term)
            )
        results = list(public.order_by("-published_at")[:MAX_RESULTS])
        for question in results:
            question.snippet = snippet_around(question.public_body_text, terms)
    for question in results:
        question.snippet = marked(question.snippet)
    return results
