"""Readers' comments, attachable to any content that opts in (articles, answered questions)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrelief.accounts.roles import Role
from painrelief.rendered import RenderedFromSource
from painrelief.spam import defence
from painrelief.spam.models import JudgedSubmission

from .rendering import render_comment
from .targets import commentable_models


def approved_condition(via: str = "") -> Q:
    """What approved() filters on, for a `Count(filter=...)` annotation; `via` is the path from
    another model to its comments (for an article, "comments")."""
    return Q(**{f"{via}__status" if via else "status": Comment.Status.APPROVED})


def visible_condition(user, own_guest_ids: list[int]) -> Q:
    """What visible_to() filters on, for an annotation (see there)."""
    own = Q(pk__in=own_guest_ids, user=None)
    if user.is_authenticated:
        own |= Q(user=user)
    # A comment judged spam looks "awaiting moderation" to its author: no hint for spammers.
    held = Q(status__in=[Comment.Status.PENDING, Comment.Status.SPAM])
    return approved_condition() | (held & own)


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """Comments anyone may read."""
        return self.filter(approved_condition())

    def visible_to(self, user, own_guest_ids: list[int]):
        """Comments this visitor may read: the approved ones, and their own held ones (written
        signed in as `user`, or as a guest on a browser whose cookie lists them)."""
        return self.filter(visible_condition(user, own_guest_ids))

    def on_public_pages(self):
        """Approved comments on pages readers can see (published articles, public questions)."""
        on_visible_page = Q(pk__in=[])
        for model in commentable_models():
            on_visible_page |= Q(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=model.commentable_objects().values("pk"),
            )
        return self.approved().filter(on_visible_page)

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

    def with_author_history(self):
        """Annotate `author_approved` and `author_spam`: how many comments of the same account
        (for a guest, the same email address) are approved, and spam."""
        return self.annotate(
            author_approved=_same_author_count(Comment.Status.APPROVED),
            author_spam=_same_author_count(Comment.Status.SPAM),
        )

    def by_same_authors_as(self, comments):
        """Comments by the accounts, or guest email addresses, of `comments`."""
        users = {c.user_id for c in comments if c.user_id}
        emails = {c.email.lower() for c in comments if not c.user_id and c.email}
        return self.alias(email_lower=Lower("email")).filter(
            Q(user__in=users) | Q(user=None, email_lower__in=emails)
        )

    def from_email_domains_of(self, comments):
        """Comments whose email address is at a domain of `comments`' addresses."""
        domains = {c.email.rpartition("@")[2].lower() for c in comments if c.email}
        query = Q(pk__in=[])
        for domain in domains:
            query |= Q(email__iendswith=f"@{domain}")
        return self.filter(query)

    def from_ip_addresses_of(self, comments):
        """Comments sent from an IP address of `comments`."""
        return self.filter(ip_address__in={c.ip_address for c in comments if c.ip_address})


def _same_author_count(status: str):
    """Comments in `status` of the outer comment's account (or, for a guest, email address)."""
    by_user = Comment.objects.filter(user=OuterRef("user"), status=status)
    by_email = Comment.objects.alias(email_lower=Lower("email")).filter(
        email_lower=Lower(OuterRef("email")), user=None, status=status
    )
    return Case(When(user__isnull=False, then=_count(by_user)), default=_count(by_email))


def _count(queryset):
    return Subquery(
        queryset.order_by().values("status").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


class Comment(JudgedSubmission, RenderedFromSource):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        REMOVED = "removed", _("Removed")

    SPAM_KIND = "comment"
    RENDERED_FROM = "body"
    RENDERED_FIELDS = ("body_html",)
    STATUS_OF_DECISION = {
        defence.APPROVE: Status.APPROVED,
        defence.HOLD: Status.PENDING,
        defence.SPAM: Status.SPAM,
    }

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
    notify_replies = models.BooleanField(_("notify of replies"), default=False)

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

    @classmethod
    def moderation_filters(cls):
        """The admin index's queue beyond the statuses (spam.templatetags.moderation)."""
        reported = Exists(CommentReport.objects.open().filter(comment=OuterRef("pk")))
        return [("reported", "open", _("reported by readers"), reported)]

    def get_absolute_url(self):
        """The permalink: redirects to the right page of the thread, at #comment-<id>."""
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    def render(self) -> None:
        """Fill body_html from the plain-text body."""
        self.body_html = render_comment(self.body)

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def author_name(self) -> str:
        return self.user.display_name if self.user_id and self.user else self.name

    def as_submission(self) -> defence.Submission:
        return defence.Submission(
            text=self.body,
            author=self.author_name,
            email=self.user.email if self.user_id and self.user else self.email,
            url=self.website,
        )

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_by_guest(self) -> bool:
        return self.user_id is None

    def is_own(self, user, own_guest_ids: list[int]) -> bool:
        """Whether this visitor wrote it: signed in as its account, or on the browser that
        posted it as a guest (comments.guests: the own-comments cookie)."""
        if user.is_authenticated and self.user_id == user.pk:
            return True
        return self.user_id is None and self.pk in own_guest_ids

    def is_editable(self, now=None) -> bool:
        """Whether its author may still change it: approved or held, and posted no more than
        COMMENTS_EDIT_MINUTES ago."""
        now = now or timezone.now()
        window = timedelta(minutes=settings.COMMENTS_EDIT_MINUTES)
        return self.status in (self.Status.APPROVED, self.Status.PENDING) and (
            now - self.created_at <= window
        )


class ReportQuerySet(models.QuerySet):
    def open(self):
        """Reports no moderator has decided on yet."""
        return self.filter(decided_at=None)

    def counted(self):
        """Open reports that count towards hiding the comment (the spam defence let them)."""
        return self.open().filter(counts=True)


class CommentReport(models.Model):
    """A reader's report that a comment breaks the rules; one per reader and comment.

    A signed-in reader is their account; a guest is `guest_key`, a keyed digest of their IP
    address (see services.reporter_key): clearing cookies does not make a new reader.
    """

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Rude or abusive")
        OFF_TOPIC = "off-topic", _("Off-topic")
        PRIVATE = "private", _("Shares someone's private or health details")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(
        Comment, models.CASCADE, related_name="reports", verbose_name=_("comment")
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason)
    note = models.CharField(_("note"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="comment_reports",
        verbose_name=_("reader"),
    )
    guest_key = models.CharField(
        _("guest"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("A digest of a guest's IP address; erased after TRACE_RETENTION_DAYS."),
    )
    counts = models.BooleanField(
        _("counts"),
        default=True,
        help_text=_("Whether it counts towards hiding the comment (the spam defence held it)."),
    )
    held_because = models.CharField(_("held because"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        blank=True,
        help_text=_("kept, or the status the moderator gave the comment"),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        indexes = [models.Index(fields=["comment", "decided_at"], name="report_comment_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"],
                condition=Q(user__isnull=False),
                name="report_once_per_account",
            ),
            models.UniqueConstraint(
                fields=["comment", "guest_key"],
                condition=~Q(guest_key=""),
                name="report_once_per_guest",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True) | Q(guest_key=""),
                name="report_by_account_or_guest",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=["spam", "abuse", "off-topic", "private", "other"]),
                name="report_reason_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} on comment #{self.comment_id}"
