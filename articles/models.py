"""The coach's articles, their category tree, tags, pictures and old addresses."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from painrelief.accounts.roles import Role
from painrelief.markdown import render_markdown
from painrelief.rendered import RenderedFromSource

RESERVED_CATEGORY_SLUGS = {"feed", "atom"}
# Addresses under /articles/ that are not articles (painrelief.downloads has /articles/downloads/).
RESERVED_ARTICLE_SLUGS = {"search", "feed", "category", "tag", "downloads"}


def unique_slug(model, text: str, *, max_length: int, exclude_pk=None, reserved=()) -> str:
    """A slug for `text` not yet used in `model` nor reserved, with -2, -3... if needed."""
    base = (slugify(text) or "untitled")[:max_length].strip("-")
    taken = set(reserved) | set(
        model.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
    return slug


class Category(models.Model):
    """A node of the category tree; `path` ("upper-back-pain/shoulder-pain") is its URL."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"), max_length=100, blank=True, help_text=_("Filled from the name if left empty.")
    )
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=500, unique=True, editable=False)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Shown on the category page and in search results."),
    )

    class Meta:
        ordering = ["path"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return " › ".join(self.path_names()) if self.parent_id else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100] or "category"
        old_path = self.path
        self.path = self._computed_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()  # a small tree: each child recomputes its path and its children's

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"path": self.path})

    def path_names(self) -> list[str]:
        node, names = self, []
        while node is not None:
            names.append(node.name)
            node = node.parent
        return names[::-1]

    def ancestor_paths(self) -> list[str]:
        """Paths of this category and the ones above it, top first."""
        parts = self.path.split("/")
        return ["/".join(parts[: i + 1]) for i in range(len(parts))]

    def _computed_path(self) -> str:
        return f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug

    def clean(self):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        if self.slug in RESERVED_CATEGORY_SLUGS:
            raise ValidationError(
                {
                    "slug": _("“%(slug)s” is reserved; please pick another slug.")
                    % {"slug": self.slug}
                },
                code="reserved",
            )
        node = self.parent
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError(
                    {"parent": _("A category cannot be placed inside itself.")}, code="cycle"
                )
            node = node.parent
        if self.slug:
            path = self._computed_path()
            if Category.objects.filter(path=path).exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"slug": _("Another category already lives at /%(path)s/.") % {"path": path}},
                    code="duplicate_path",
                )


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Tag, self.name, max_length=60, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers may see: published, with a publish date that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """Everything for the people who write articles (preview), published ones for others."""
        if user.has_perm("articles.change_article"):
            return self.all()
        return self.published()

    def next_publish_time(self):
        """When the next scheduled article goes public (None if none is scheduled)."""
        scheduled = self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        return scheduled.aggregate(first=Min("published_at"))["first"]

    def in_category(self, category):
        """Articles of a category and of the categories below it."""
        return self.filter(
            Q(category__path=category.path) | Q(category__path__startswith=f"{category.path}/")
        )

    def for_lists(self):
        """What a list of teasers needs, in the same query; bodies are left in the database."""
        return self.select_related("author", "category").defer("body", "body_html", "plain_text")


class Article(RenderedFromSource):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class FeedContent(models.TextChoices):
        FULL = "full", _("Full text")
        SUMMARY = "summary", _("Summary only")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_(
            "The article's address. Filled from the title if left empty; "
            "once the article is published it only changes if you change it here."
        ),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="articles",
        limit_choices_to={"groups__name": Role.COACH},
        verbose_name=_("author"),
    )
    summary = models.TextField(
        _("summary"),
        max_length=600,
        blank=True,
        help_text=_(
            "Shown on lists and in search engines. Left empty, the opening words are used."
        ),
    )
    body = models.TextField(
        _("body"),
        max_length=200_000,
        help_text=_("Markdown. A YouTube or Vimeo link alone on a line becomes an embedded video."),
    )
    body_html = models.TextField(editable=False, default="")
    plain_text = models.TextField(editable=False, default="")
    excerpt = models.TextField(editable=False, default="")
    reading_minutes = models.PositiveSmallIntegerField(_("reading time"), editable=False, default=1)
    hero = models.JSONField(_("hero image"), default=dict, blank=True, editable=False)
    hero_alt = models.CharField(
        _("hero image description"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it. Required with a picture."
        ),
    )
    category = models.ForeignKey(
        Category, models.PROTECT, related_name="articles", verbose_name=_("category")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    resource = models.ForeignKey(
        "downloads.Resource",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("offered download"),
        help_text=_("Offered at the end of the article."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish date"),
        null=True,
        blank=True,
        help_text=_("A date in the future schedules the article: readers see it from then on."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    comments_open = models.BooleanField(_("comments open"), default=True)
    featured = models.BooleanField(
        _("featured"),
        default=False,
        help_text=_("The newest featured article leads the home page."),
    )
    feed_content = models.CharField(
        _("in feeds"), max_length=10, choices=FeedContent, default=FeedContent.FULL
    )

    comments = GenericRelation("comments.Comment", related_query_name="article")

    objects = ArticleQuerySet.as_manager()

    RENDERED_FROM = "body"
    RENDERED_FIELDS = ("body_html", "plain_text", "excerpt", "reading_minutes")

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_public_order"),
            models.Index(
                fields=["category", "status", "-published_at"], name="article_category_order"
            ),
            models.Index(
                fields=["-published_at"], condition=Q(featured=True), name="article_featured"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_article_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Article,
                self.title,
                max_length=200,
                exclude_pk=self.pk,
                reserved=RESERVED_ARTICLE_SLUGS,
            )
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def render(self) -> None:
        """Fill the fields derived from the Markdown body: HTML, text, excerpt, reading time."""
        rendered = render_markdown(self.body)
        self.body_html = rendered.html
        self.plain_text = rendered.text
        self.excerpt = rendered.excerpt
        self.reading_minutes = rendered.reading_minutes

    @classmethod
    def commentable_objects(cls):
        """Articles whose comments readers see (painrelief.comments.targets)."""
        return cls.objects.published().select_related("author")

    @property
    def teaser(self) -> str:
        return self.summary or self.excerpt

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.is_public

    @property
    def was_updated(self) -> bool:
        """Edited on a later day than it was published."""
        return bool(self.published_at) and self.updated_at.date() > self.published_at.date()

    def clean(self):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.slug in RESERVED_ARTICLE_SLUGS:
            raise ValidationError(
                {
                    "slug": _("“%(slug)s” is a reserved address; please pick another slug.")
                    % {"slug": self.slug}
                },
                code="reserved",
            )
        if self.slug and Article.objects.filter(slug=self.slug).exclude(pk=self.pk).exists():
            raise ValidationError(
                {"slug": _("Another article already uses this address; please change the slug.")},
                code="duplicate_slug",
            )


class Picture(models.Model):
    """A picture uploaded for article bodies and answers; Markdown links to its largest JPEG.

    The renderer recognises those addresses and serves the picture with srcset, sizes, width
    and height, like a hero image.
    """

    alt = models.CharField(
        _("description"),
        max_length=250,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    folder = models.CharField(max_length=100, unique=True, editable=False)
    renditions = models.JSONField(default=dict, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")

    def __str__(self):
        return self.alt

    @property
    def markdown(self) -> str:
        """What the coach pastes into a body to show this picture."""
        if not self.renditions:
            return ""
        largest = self.renditions["jpeg"][str(self.renditions["width"])]
        alt = self.alt.replace("[", "(").replace("]", ")")
        return f"![{alt}]({default_storage.url(largest)})"


class ArticleRedirect(models.Model):
    """An address an article was published under before its slug changed; it redirects."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, models.CASCADE, related_name="redirects")

    class Meta:
        ordering = ["old_slug"]
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


class RevisionQuerySet(models.QuerySet):
    def kept(self):
        """Revisions of saves and restores: the history, without autosaved drafts."""
        return self.exclude(kind=Revision.Kind.AUTOSAVE)

    def autosaved_by(self, user, article=None):
        """The draft autosaved by `user` for `article` (None: a new article, not saved yet)."""
        return self.filter(kind=Revision.Kind.AUTOSAVE, author=user, article=article)


class Revision(models.Model):
    """An article as it was at one save (or restore), or as the editor held it when autosaved.

    Every save in the admin keeps one, so the coach can compare any two and restore one. An
    autosave is one row per writer and article, replaced as they type and deleted when they
    save: a closed tab loses nothing, and nothing is published by it.
    """

    class Kind(models.TextChoices):
        SAVED = "saved", _("Saved")
        RESTORED = "restored", _("Restored")
        AUTOSAVE = "autosave", _("Autosaved draft (not saved)")

    article = models.ForeignKey(
        Article, models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.SAVED)
    restored_from = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    title = models.CharField(_("title"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Article.Status, blank=True)
    published_at = models.DateTimeField(_("publish date"), null=True, blank=True)

    objects = RevisionQuerySet.as_manager()

    FIELDS = ("title", "summary", "body", "status", "published_at")
    # What a restore puts back: the writing. Status and publish date stay as they are, so that
    # restoring an old text never takes a live article down or publishes a draft.
    RESTORED_FIELDS = ("title", "summary", "body")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        indexes = [models.Index(fields=["article", "-created_at"], name="revision_article_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"],
                condition=Q(kind="autosave"),
                name="one_autosave_per_writer_and_article",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title} ({self.created_at:%Y-%m-%d %H:%M})"

    def differs_from(self, article: Article) -> bool:
        """Whether its writing is not the article's (line endings aside: browsers post CRLF)."""
        return any(
            _one_line_ending(getattr(self, name)) != _one_line_ending(getattr(article, name))
            for name in self.RESTORED_FIELDS
        )


def _one_line_ending(text: str) -> str:
    return text.replace("\r\n", "\n")
