from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from painrelief.comments.threads import comment_section
from questions.search import search_questions

from . import services
from .forms import DownloadRequestForm
from .models import Article, ArticleRedirect, Category, Resource, Tag
from .search import search_articles

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
            Category.objects.select_related("parent"), path=self.kwargs["path"]
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
        return super().get_context_data(**context, **kwargs)


class SearchView(TemplateView):
    """The site search: PostgreSQL full-text search with ranking, or a word match on SQLite."""

    template_name = "articles/search.html"

    def get_context_data(self, **kwargs):
        query = " ".join(self.request.GET.get("q", "").split())[:200]
        page = search_articles(query, page=self.request.GET.get("page") or 1) if query else None
        # Questions answered come beside the articles, on the first page of results.
        questions = search_questions(query) if query and (not page or page.number == 1) else []
        return super().get_context_data(query=query, page_obj=page, questions=questions, **kwargs)


class ResourceView(View):
    """A downloadable resource: free ones are sent at once; email-gated ones ask for an address."""

    def dispatch(self, request, *args, **kwargs):
        self.resource = get_object_or_404(Resource, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.resource.needs_email:
            return _file_response(self.resource)
        return self._form_page(DownloadRequestForm(resource=self.resource))

    def post(self, request, *args, **kwargs):
        if not self.resource.needs_email:
            return redirect(self.resource)
        form = DownloadRequestForm(request.POST, resource=self.resource)
        if form.is_valid():
            try:
                services.request_download(
                    resource=self.resource,
                    email=form.cleaned_data["email"],
                    ip=request.META.get("REMOTE_ADDR", ""),
                    request=request,
                )
            except services.TooManyDownloadRequests:
                form.add_error(
                    None, _("Too many requests from your network; please try again in an hour.")
                )
            except services.DownloadEmailNotSent:
                form.add_error(
                    None,
                    _(
                        "We could not send the email just now. Your address is kept in the form; "
                        "please try again in a few minutes."
                    ),
                )
            else:
                return render(
                    request,
                    "articles/download_sent.html",
                    {"resource": self.resource, "email": form.cleaned_data["email"]},
                )
        return self._form_page(form, status=200 if form.is_valid() else 400)

    def _form_page(self, form, status=200):
        return render(
            self.request,
            "articles/resource.html",
            {"resource": self.resource, "download_form": form},
            status=status,
        )


class DownloadView(View):
    """The link from the email: confirms the address and sends the file."""

    def get(self, request, token):
        download_request = services.redeem_download_token(token)
        if download_request is None:
            return render(request, "articles/download_expired.html", status=410)
        return _file_response(download_request.resource)


class ForgetEmailView(View):
    """The "forget me" link of every download email: a confirmation, then the deletion."""

    def dispatch(self, request, *args, **kwargs):
        self.email = services.email_from_forget_token(kwargs["token"])
        if self.email is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token):
        return render(request, "articles/forget_email.html", {"email": self.email})

    def post(self, request, token):
        services.forget_email(email=self.email)
        messages.success(
            request,
            _("Done: %(email)s has been deleted from our download lists.") % {"email": self.email},
        )
        return redirect("home")


def _file_response(resource: Resource) -> FileResponse:
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = resource.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=filename)
