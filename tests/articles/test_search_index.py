import pytest
from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from articles.models import Article
from articles.search import search_vector
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL"
    ),
]


def test_full_text_search_can_use_the_gin_index_of_the_weighted_document():
    """The migration's index expression must stay identical to articles.search.search_vector()."""
    ArticleFactory(body="A knot near the trapezius.")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    query = SearchQuery(
        "trapezius", search_type="websearch", config=settings.ARTICLES_SEARCH_CONFIG
    )

    plan = Article.objects.annotate(document=search_vector()).filter(document=query).explain()

    assert "Bitmap Index Scan on article_search_document" in plan
