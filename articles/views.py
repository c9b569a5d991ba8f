from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, TemplateView

from painrelief.comments.views import comment_section
from painrelief.downloads.forms import DownloadRequestForm
from painrelief.text import query_text

from .models import Article, ArticleRedirect, Category, Tag

RELATED_ARTICLES = 3
HOME_LATEST = 6


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published().for_lists()
        featured = published.filter(featured=True).first()
        latest = published.exclude(pk=featured.pk) if featured else published
        return super().get_context_data(
            featured=featured, latest=list(latest[:HOME_LATEST]), **kwargs
        )


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().for_lists()


class CategoryView(ArticleListView):
    """A category's articles, those of its sub-categories included."""

    template_name = "articles/category.html"

    def get_queryset(self):
        self.category = get_object_or_404(
            Category.objects.select_related("parent"), path=query_text(self.kwargs["path"])
        )
        return super().get_queryset().in_category(self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            category=self.category,
            breadcrumb=Category.objects.filter(path__in=self.category.ancestor_paths()),
            subcategories=self.category.children.all(),
            **kwargs,
        )


class TagView(ArticleListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.visible_to(self.request.user)
            .select_related("author", "category", "resource")
            .prefetch_related("tags")
        )

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = ArticleRedirect.objects.filter(old_slug=kwargs["slug"]).select_related(
                "article"
            )
            redirect_to = moved.first()
            if redirect_to and redirect_to.article.is_public:
                return redirect(redirect_to.article, permanent=True)
            raise

    def get_context_data(self, **kwargs):
        article = self.object
        published = Article.objects.published().only("title", "slug", "published_at")
        tag_ids = [tag.pk for tag in article.tags.all()]
        context = {
            "breadcrumb": Category.objects.filter(path__in=article.category.ancestor_paths()),
            "previous_article": None,
            "next_article": None,
            "related_articles": (
                published.exclude(pk=article.pk)
                .filter(Q(tags__in=tag_ids) | Q(category=article.category_id))
                .annotate(shared_tags=Count("tags", filter=Q(tags__in=tag_ids)))
                .order_by("-shared_tags", "-published_at")[:RELATED_ARTICLES]
            ),
        }
        if article.is_public:
            context["previous_article"] = (
                published.filter(published_at__lt=article.published_at)
                .order_by("-published_at")
                .first()
            )
            context["next_article"] = (
                published.filter(published_at__gt=article.published_at)
                .order_by("published_at")
                .first()
            )
            context["comment_section"] = comment_section(article, self.request)
        if article.resource and article.resource.needs_email:
            context["download_form"] = DownloadRequestForm(resource=article.resource)
            if getattr(self.request, "shared_copy", False):
                context["download_form"].stamp_in_browser()
        return super().get_context_data(**context, **kwargs)
