"""The coach's writing desk: articles with a live Markdown preview, categories, tags, pictures."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from painrelief import markdown
from painrelief.comments.models import approved_condition
from painrelief.images import open_uploaded_image

from . import services
from .models import Article, Category, Picture, Tag


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
        old_slug = form.initial.get("slug") if change else None
        was_published = change and form.initial.get("status") == Article.Status.PUBLISHED
        super().save_model(request, obj, form, change)
        if was_published and old_slug:
            services.record_slug_change(article=obj, old_slug=old_slug)
        if form.cleaned_data.get("hero_upload"):
            services.set_hero_image(article=obj, upload=form.cleaned_data["hero_upload"])
        elif form.cleaned_data.get("remove_hero"):
            services.remove_hero_image(article=obj)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.markdown_preview)
        return [
            path("preview/", preview, name="articles_article_preview"),
            *super().get_urls(),
        ]

    def markdown_preview(self, request):
        """The body rendered by the site's own renderer, for the editor's live preview."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        return markdown.preview_response(request)

    def render_change_form(self, request, context, *args, **kwargs):
        context["markdown_preview_url"] = reverse("admin:articles_article_preview")
        return super().render_change_form(request, context, *args, **kwargs)


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
