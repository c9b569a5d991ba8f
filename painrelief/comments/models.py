"""Readers' comments, attachable to any content that opts in (articles, answered questions)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrelief.accounts.roles import Role

from .rendering import render_comment


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """Comments anyone may read."""
        return self.filter(status=Comment.Status.APPROVED)

    def for_target(self, target):
        """The comments of one article (or other commentable object)."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk
        )

    def with_coach_flag(self):
        """Annotate `by_coach`: written by a member of the Coach group (no query per comment)."""
        coach_membership = Group.user_set.through.objects.filter(
            user_id=OuterRef("user_id"), group__name=Role.COACH
        )
        return self.annotate(by_coach=Exists(coach_membership))


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        REMOVED = "removed", _("Removed")

    content_type = models.ForeignKey(ContentType, models.PROTECT, verbose_name=_("content type"))
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")

    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in the thread of"),
        help_text=_("Where the reply sits in the thread."),
    )
    thread = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text=_("The top-level comment of the thread; empty for top-level comments."),
    )
    replied_to = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("in reply to"),
        help_text=_("The comment answered; its parent when the thread was already at full depth."),
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=1, editable=False)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=60)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)

    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False, default="")

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    reasons = models.JSONField(
        _("why this status"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("What the spam defence based its verdict on."),
    )
    reason_codes = models.CharField(max_length=300, blank=True, editable=False)
    spam_score = models.FloatField(
        _("spam score"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The filter's probability that this is spam, from 0 to 1."),
    )
    spam_verdict = models.CharField(
        _("the filter said"),
        max_length=10,
        blank=True,
        editable=False,
        help_text=_("approve, hold or spam; in shadow mode, what it would have done."),
    )
    taught_as = models.CharField(
        _("taught the filter as"), max_length=4, blank=True, editable=False
    )
    notify_replies = models.BooleanField(_("notify of replies"), default=False)

    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(
        _("first approved"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Approval emails and reply notifications go out once, at first approval."),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "status", "created_at"],
                name="comment_target_status_created",
            ),
            models.Index(fields=["thread", "status"], name="comment_thread_status"),
            models.Index(fields=["status", "-created_at"], name="comment_status_created"),
            models.Index(Lower("email"), "status", name="comment_email_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(depth__gte=1), name="comment_depth_positive"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, thread__isnull=True, depth=1)
                | Q(parent__isnull=False, thread__isnull=False, depth__gt=1),
                name="comment_reply_has_thread",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "spam", "removed"]),
                name="comment_status_valid",
            ),
        ]
        permissions = [("moderate_comment", "Can approve, hold, remove comments and mark spam")]

    def __str__(self):
        return f"{self.author_name} on {self.content_type.name} #{self.object_id}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        saves_body = "body" not in self.get_deferred_fields() and (
            update_fields is None or "body" in update_fields
        )
        if saves_body and (
            self._state.adding or self.body != self._loaded_body or not self.body_html
        ):
            self.render_body()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)
        if saves_body:
            self._loaded_body = self.body

    def get_absolute_url(self):
        """The permalink: redirects to the right page of the thread, at #comment-<id>."""
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    # The body as it was loaded from the database (None if it was not): save() renders the
    # body only when it changed.
    _loaded_body = None

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        comment = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        comment._loaded_body = comment.__dict__.get("body")
        return comment

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None:
            self._loaded_body = self.__dict__.get("body")
        elif "body" in fields:
            self._loaded_body = None  # reloaded without what was rendered from it

    def render_body(self) -> None:
        """Fill body_html from the plain-text body."""
        self.body_html = render_comment(self.body)

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def author_name(self) -> str:
        return self.user.display_name if self.user_id and self.user else self.name

    @property
    def reason_texts(self) -> list[str]:
        """Why the comment has its status, in words (the spam defence's reasons)."""
        return [r["text"] if isinstance(r, dict) else str(r) for r in self.reasons]

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_by_guest(self) -> bool:
        return self.user_id is None
