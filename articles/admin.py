"""The coach's writing desk: articles with a live Markdown preview, categories, tags, pictures."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from painrelief import markdown, textdiff
from painrelief.comments.models import approved_condition
from painrelief.images import open_uploaded_image

from . import services
from .models import Article, Category, Picture, Revision, Tag


class ArticleAdminForm(forms.ModelForm):
    hero_upload = forms.FileField(
        label=_("Hero image"),
        required=False,
        help_text=_(
            "JPEG, PNG, GIF or WebP. Resized copies are made for phones and large screens."
        ),
    )
    remove_hero = forms.BooleanField(label=_("Remove the hero image"), required=False)

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "author",
            "category",
            "tags",
            "summary",
            "body",
            "hero_alt",
            "resource",
            "status",
            "published_at",
            "featured",
            "comments_open",
            "feed_content",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "class": "markdown-source"})}

    def clean_hero_upload(self):
        upload = self.cleaned_data.get("hero_upload")
        if upload:
            open_uploaded_image(
                upload,
                max_bytes=settings.ARTICLE_IMAGE_MAX_UPLOAD_BYTES,
                max_pixels=settings.ARTICLE_IMAGE_MAX_PIXELS,
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        keeps_hero = bool(self.instance.hero) and not cleaned.get("remove_hero")
        if (cleaned.get("hero_upload") or keeps_hero) and not cleaned.get("hero_alt", "").strip():
            self.add_error("hero_alt", _("Describe the hero image for readers who cannot see it."))
        return cleaned


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", _("Draft")), ("scheduled", _("Scheduled")), ("live", _("Published"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = Article.Status.PUBLISHED
        return {
            "draft": lambda: queryset.filter(status=Article.Status.DRAFT),
            "scheduled": lambda: queryset.filter(status=published, published_at__gt=now),
            "live": lambda: queryset.filter(status=published, published_at__lte=now),
        }.get(self.value(), lambda: queryset)()


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "state",
        "published_at",
        "updated_at",
        "category",
        "featured",
        "reading_minutes",
        "comment_counts",
    ]
    list_filter = [StatusFilter, "category", "tags", "featured", "comments_open"]
    list_select_related = ["category", "category__parent"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    # Explicit: the comment counts' GROUP BY drops Meta.ordering, which the autocomplete (the
    # questions' related articles) then paginates unordered.
    ordering = ["-published_at", "-pk"]
    autocomplete_fields = ["tags", "category", "resource"]
    readonly_fields = [
        "hero_preview",
        "reading_minutes",
        "created_at",
        "updated_at",
        "preview_link",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "category", "tags", "summary", "body"]}),
        (_("Hero image"), {"fields": ["hero_preview", "hero_upload", "remove_hero", "hero_alt"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "preview_link",
                    "featured",
                    "comments_open",
                    "feed_content",
                    "resource",
                    "reading_minutes",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    change_form_template = "admin/articles/article/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("category__parent")
            .annotate(
                approved_comments=Count("comments", filter=approved_condition(via="comments")),
                pending_comments=Count("comments", filter=Q(comments__status="pending")),
            )
        )

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description=_("status"), ordering="status")
    def state(self, article):
        if article.is_scheduled:
            return _("Scheduled")
        return article.get_status_display()

    @admin.display(description=_("comments"), ordering="approved_comments")
    def comment_counts(self, article):
        """Approved comments, and those waiting, linked to the moderation list."""
        if not article.pending_comments:
            return article.approved_comments
        waiting = reverse("admin:comments_comment_changelist") + (
            f"?content_type={ContentType.objects.get_for_model(Article).pk}"
            f"&object_id={article.pk}&status__exact=pending"
        )
        return format_html(
            '{} <a href="{}">({} waiting)</a>',
            article.approved_comments,
            waiting,
            article.pending_comments,
        )

    @admin.display(description=_("current picture"))
    def hero_preview(self, article):
        if not article.hero:
            return _("None")
        smallest = min(article.hero["jpeg"], key=int)
        return format_html(
            '<img src="{}" alt="{}" class="hero-thumbnail">',
            default_storage.url(article.hero["jpeg"][smallest]),
            article.hero_alt,
        )

    @admin.display(description=_("preview"))
    def preview_link(self, article):
        if not article.pk:
            return _("Save the article to preview it on the site.")
        label = _("View on the site") if article.is_public else _("Preview on the site")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', article.get_absolute_url(), label
        )

    def save_model(self, request, obj, form, change):
        services.save_article(
            article=obj,
            by=request.user,
            old_slug=form.initial.get("slug") if change else None,
            was_published=change and form.initial.get("status") == Article.Status.PUBLISHED,
            hero_upload=form.cleaned_data.get("hero_upload"),
            remove_hero=form.cleaned_data.get("remove_hero", False),
        )

    def get_urls(self):
        def view(method):
            return self.admin_site.admin_view(method)

        return [
            path("preview/", view(self.markdown_preview), name="articles_article_preview"),
            path("autosave/", view(self.autosave_view), name="articles_article_autosave"),
            path(
                "<int:pk>/revisions/",
                view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<int:pk>/revisions/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<int:pk>/revisions/<int:revision>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def _article_for_change(self, request, pk) -> Article:
        article = get_object_or_404(Article, pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def revisions_view(self, request, pk):
        """Every revision of an article: who saved what, when; pick two to compare."""
        article = self._article_for_change(request, pk)
        return self._revision_page(
            request,
            "revisions.html",
            article,
            _("Revisions of “%(title)s”"),
            revisions=article.revisions.select_related("author"),
        )

    def compare_view(self, request, pk):
        """Two revisions side by side (or a revision against the article as it is now)."""
        article = self._article_for_change(request, pk)
        revisions = article.revisions.select_related("author")
        older_id, newer_id = (request.GET.get(name, "").strip() for name in ("from", "to"))
        if not older_id.isdigit():
            raise Http404
        older = get_object_or_404(revisions, pk=older_id)
        newer = get_object_or_404(revisions, pk=newer_id) if newer_id.isdigit() else None
        if newer is not None and (newer.created_at, newer.pk) < (older.created_at, older.pk):
            older, newer = newer, older
        current = newer or article
        changes = [
            (
                Revision._meta.get_field(name).verbose_name,
                textdiff.inline_diff(str(getattr(older, name)), str(getattr(current, name))),
            )
            for name in Revision.RESTORED_FIELDS
        ]
        states = [
            (_("status"), older.get_status_display(), current.get_status_display()),
            (_("publish date"), older.published_at, current.published_at),
        ]
        return self._revision_page(
            request,
            "revision_compare.html",
            article,
            _("Changes to “%(title)s”"),
            older=older,
            newer=newer,
            changes=changes,
            states=states,
        )

    def _revision_page(self, request, template, article, title, **context):
        return render(
            request,
            f"admin/articles/article/{template}",
            {
                **self.admin_site.each_context(request),
                "title": title % {"title": article.title},
                "opts": self.model._meta,
                "original": article,
                **context,
            },
        )

    def restore_view(self, request, pk, revision):
        """Put a revision's writing back (as a new revision); only by POST, from the list."""
        article = self._article_for_change(request, pk)
        if request.method != "POST":
            return redirect("admin:articles_article_revisions", pk=article.pk)
        old = get_object_or_404(article.revisions, pk=revision)
        services.restore_revision(revision=old, by=request.user)
        self.message_user(
            request,
            _("The text of %(when)s was restored; it is now the latest revision.")
            % {"when": date_format(localtime(old.created_at), "DATETIME_FORMAT")},
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)

    def autosave_view(self, request):
        """Keep what the editor holds (title, summary, body) as the writer's draft."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        if request.method != "POST":
            return JsonResponse({"error": "POST only"}, status=405)
        article_id = request.POST.get("article", "").strip()
        article = self._article_for_change(request, article_id) if article_id.isdigit() else None
        if article is None and not self.has_add_permission(request):
            raise PermissionDenied
        limits = {"title": 200, "summary": 600, "body": 200_000}
        fields = {name: request.POST.get(name, "")[:limit] for name, limit in limits.items()}
        draft = services.autosave(by=request.user, article=article, **fields)
        return JsonResponse({"saved_at": localtime(draft.created_at).strftime("%H:%M:%S")})

    def markdown_preview(self, request):
        """The body rendered by the site's own renderer, for the editor's live preview."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        return markdown.preview_response(request)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["markdown_preview_url"] = reverse("admin:articles_article_preview")
        context["autosave_url"] = reverse("admin:articles_article_autosave")
        draft = Revision.objects.autosaved_by(request.user, obj).first()
        unsaved = obj is None or draft is None or draft.differs_from(obj)
        if draft is not None and unsaved and (obj is None or draft.created_at > obj.updated_at):
            context["autosaved_draft"] = draft
        if obj is not None:
            context["revision_count"] = obj.revisions.kept().count()
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


class PictureAdminForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("Picture"), help_text=_("JPEG, PNG, GIF or WebP; resized copies are made.")
    )

    class Meta:
        model = Picture
        fields = ["alt"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        open_uploaded_image(
            upload,
            max_bytes=settings.ARTICLE_IMAGE_MAX_UPLOAD_BYTES,
            max_pixels=settings.ARTICLE_IMAGE_MAX_PIXELS,
        )
        return upload


@admin.register(Picture)
class PictureAdmin(admin.ModelAdmin):
    """The picture library: upload once, paste the Markdown line into an article or an answer."""

    list_display = ["thumbnail", "alt", "markdown_line", "uploaded_at"]
    search_fields = ["alt"]
    readonly_fields = ["thumbnail", "markdown_line"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = PictureAdminForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["alt", "upload"] if obj is None else ["thumbnail", "alt", "markdown_line"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.add_picture(upload=form.cleaned_data["upload"], alt=obj.alt)
        obj.pk, obj.folder, obj.renditions = created.pk, created.folder, created.renditions

    def delete_model(self, request, obj):
        services.delete_pictures(pictures=[obj])

    def delete_queryset(self, request, queryset):
        services.delete_pictures(pictures=list(queryset))

    @admin.display(description=_("picture"))
    def thumbnail(self, picture):
        smallest = min(picture.renditions["jpeg"], key=int)
        return format_html(
            '<img src="{}" alt="" class="hero-thumbnail">',
            default_storage.url(picture.renditions["jpeg"][smallest]),
        )

    @admin.display(description=_("Markdown to paste into a body"))
    def markdown_line(self, picture):
        return format_html('<code class="markdown-line">{}</code>', picture.markdown)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "path"]
    search_fields = ["name", "path"]
    autocomplete_fields = ["parent"]
    fields = ["name", "slug", "parent", "description"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
