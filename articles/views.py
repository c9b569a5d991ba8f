from django.views.generic import TemplateView


class ArticleListView(TemplateView):
    """The articles page; the articles issue gives it a model, pagination and categories."""

    template_name = "articles/article_list.html"


class SearchView(TemplateView):
    """The site search behind the header's search box; it finds articles once they exist."""

    template_name = "articles/search.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.request.GET.get("q", "").strip()[:200], **kwargs)
