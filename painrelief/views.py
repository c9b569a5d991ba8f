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
