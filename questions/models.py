"""Readers' cases, the coach's answers, and the consent-based public Q&A built from them.

A case is health data: it is private unless the coach has answered it, the asker chose
publication, and the asker approved the exact public text. What the asker wrote is never
changed; the public version is a separate, edited copy.
"""

import re
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from painrelief.encryption import (
    EmailDigestField,
    EncryptedCharField,
    EncryptedEmailField,
    EncryptedGenericIPAddressField,
    EncryptedTextField,
    email_digests,
)
from painrelief.markdown import render_markdown
from painrelief.rendered import RenderedFromSource
from painrelief.spam import defence
from painrelief.spam.models import JudgedSubmission


class BodyArea(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("body area")
        verbose_name_plural = _("body areas")

    def __str__(self):
        return self.name


class RedFlag(models.Model):
    """Symptoms that need a doctor today, not a coach. Matched in the title and the case.

    A flag matches when one phrase of `phrases` appears, and, when `with_phrases` is filled,
    one of those too ("chest pain" with "arm").
    """

    name = models.CharField(_("name"), max_length=120, help_text=_("Shown to the coach."))
    phrases = models.TextField(
        _("phrases"),
        help_text=_(
            "One per line; any of them. Whole words, unless the phrase ends with * "
            "(“tingl*” matches “tingling”)."
        ),
    )
    with_phrases = models.TextField(
        _("together with"),
        blank=True,
        help_text=_("Optional, one per line: the flag needs one of these as well."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")

    def __str__(self):
        return self.name

    def matches(self, text: str) -> bool:
        return _any_phrase(self.phrases, text) and (
            not self.with_phrases.strip() or _any_phrase(self.with_phrases, text)
        )


def _any_phrase(lines: str, text: str) -> bool:
    """Whether one of the phrases (one a line) is in `text`: whole words, or the start of a
    word for a phrase ending with "*". Curly apostrophes count as straight ones."""
    text = text.replace("’", "'")
    return any(
        re.search(_phrase_pattern(line), text, re.IGNORECASE)
        for line in lines.replace("’", "'").splitlines()
        if line.strip()
    )


def _phrase_pattern(line: str) -> str:
    phrase = line.strip()
    if phrase.endswith("*"):
        return rf"\b{re.escape(phrase[:-1].strip())}"
    return rf"\b{re.escape(phrase)}\b"


class Snippet(models.Model):
    """A stock paragraph of the coach's, inserted into answers (or declines) from the admin."""

    class Use(models.TextChoices):
        ANSWER = "answer", _("Answers")
        DECLINE = "decline", _("Declining a question")

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), help_text=_("Markdown, as in answers."))
    use = models.CharField(_("for"), max_length=10, choices=Use, default=Use.ANSWER)

    class Meta:
        ordering = ["use", "title"]
        verbose_name = _("snippet")
        verbose_name_plural = _("snippets")

    def __str__(self):
        return self.title


class QuestionQuerySet(models.QuerySet):
    def public(self):
        """The public Q&A: answered, the asker agreed, and approved the exact public text."""
        return self.filter(
            status=Question.Status.ANSWERED,
            answer_published_at__isnull=False,
            consent=Question.Consent.APPROVED,
        ).exclude(publication=Question.Publication.PRIVATE)

    def with_email(self, email: str):
        """Questions sent from this address (any case), found by its keyed hash: the address
        itself is encrypted. Digests under old keys match too, until a rotation rewrites them."""
        return self.filter(email_digest__in=email_digests(email))

    def for_lists(self):
        return self.defer(
            "body", "answer", "internal_notes", "decline_message", "public_body", "public_body_text"
        ).prefetch_related("body_areas")


# What decides whether a question is public, and so whether its plain copies for the site
# search (SEARCH_COPIES) are filled.
PUBLICITY_FIELDS = {"status", "answer_published_at", "consent", "publication", "answer"}
SEARCH_COPIES = {"answer_text", "public_body_text"}


def new_public_key() -> str:
    # 64 random bits, in hex: the public address cannot be guessed, and holds no "-" (the
    # slug's separator).
    return secrets.token_hex(8)


class Question(JudgedSubmission, RenderedFromSource):
    class Status(models.TextChoices):
        HELD = "held", _("Held by the spam defence")
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        DECLINED = "declined", _("Declined")
        SPAM = "spam", _("Spam")

    SPAM_KIND = "question"
    RENDERED_FROM = "answer"
    RENDERED_FIELDS = ("answer_html", "answer_text")
    STATUS_OF_DECISION = {
        defence.APPROVE: Status.NEW,
        defence.HOLD: Status.HELD,
        defence.SPAM: Status.SPAM,
    }

    class Duration(models.TextChoices):
        DAYS = "days", _("A few days")
        WEEKS = "weeks", _("A few weeks")
        MONTHS = "months", _("A few months")
        YEAR = "year", _("About a year")
        YEARS = "years", _("Several years")

    class Publication(models.TextChoices):
        ANONYMOUS = "anonymous", _("You may publish my question and your answer without my name")
        NAMED = "named", _("You may publish them with the name I give above")
        PRIVATE = "private", _("Keep it private")

    class Consent(models.TextChoices):
        NOT_ASKED = "not_asked", _("Not asked yet")
        PENDING = "pending", _("Waiting for the asker's approval")
        APPROVED = "approved", _("Approved by the asker")
        DECLINED = "declined", _("Declined by the asker")

    # What the asker wrote: never edited by the site.
    title = models.CharField(_("short title"), max_length=150)
    body = EncryptedTextField(_("the case"))
    body_areas = models.ManyToManyField(
        BodyArea, blank=True, related_name="questions", verbose_name=_("where it hurts")
    )
    duration = models.CharField(_("since when"), max_length=10, choices=Duration, blank=True)
    on_behalf = models.BooleanField(_("written on behalf of someone"), default=False)
    name = EncryptedCharField(_("name to show"), max_length=60)
    email = EncryptedEmailField(_("email"))
    email_digest = EmailDigestField(source="email")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("account"),
    )
    publication = models.CharField(
        _("publication"), max_length=10, choices=Publication, default=Publication.PRIVATE
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    # JudgedSubmission's record of where it came from, encrypted for questions.
    ip_address = EncryptedGenericIPAddressField(
        _("IP address"), null=True, blank=True, editable=False
    )
    user_agent = EncryptedCharField(_("browser"), max_length=300, blank=True, editable=False)

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.NEW)
    red_flags = models.JSONField(_("red flags"), default=list, blank=True, editable=False)
    has_red_flags = models.BooleanField(default=False, editable=False)

    # The coach's work.
    answer = EncryptedTextField(
        _("answer"),
        blank=True,
        help_text=_("Markdown, with a live preview. Saved as a draft until you publish it."),
    )
    # The rendered answer is shown on the private page (and the public one): encrypted. Its
    # plain text is the site search's copy: filled only while the question is public.
    answer_html = EncryptedTextField(editable=False, default="")
    answer_text = models.TextField(editable=False, default="")
    answer_published_at = models.DateTimeField(
        _("answer published"), null=True, blank=True, editable=False
    )
    related_articles = models.ManyToManyField(
        "articles.Article",
        blank=True,
        related_name="questions",
        verbose_name=_("related articles"),
    )
    internal_notes = EncryptedTextField(
        _("internal notes"), blank=True, help_text=_("Only for the coach; never shown or sent.")
    )
    decline_message = EncryptedTextField(_("message when declining"), blank=True)
    declined_at = models.DateTimeField(null=True, blank=True, editable=False)

    # The public version, prepared by the coach and approved by the asker.
    public_key = models.CharField(
        max_length=20, unique=True, default=new_public_key, editable=False
    )
    public_title = models.CharField(_("public title"), max_length=150, blank=True)
    # Encrypted as the case is: prefilled from it, it holds the case until the coach edits it.
    public_body = EncryptedTextField(
        _("public text of the question"),
        blank=True,
        help_text=_(
            "The case as it would be published, identifying details removed. The asker "
            "approves this exact text."
        ),
    )
    # Its plain copy for the site search, kept only while the question is public.
    public_body_text = models.TextField(editable=False, default="")
    consent = models.CharField(
        _("asker's approval"),
        max_length=10,
        choices=Consent,
        default=Consent.NOT_ASKED,
        editable=False,
    )
    # The exact text sent for approval: not public until approved.
    consent_text = EncryptedTextField(editable=False, blank=True)
    consent_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("public since"), null=True, blank=True, editable=False)

    comments = GenericRelation("comments.Comment", related_query_name="question")

    objects = QuestionQuerySet.as_manager()

    # Counted on the admin index (painrelief.spam.templatetags.moderation).
    MODERATION_QUEUE = [
        ("new", "new", "questions.answer_question"),
        ("held", "held by the spam defence", None),
        ("spam", "spam", None),
    ]

    class Meta:
        ordering = ["-has_red_flags", "created_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["status", "-has_red_flags", "created_at"], name="question_queue"),
            models.Index(fields=["consent", "status", "-published_at"], name="question_public"),
            models.Index(fields=["email_digest"], name="question_email_digest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent__in=["not_asked", "pending", "declined"])
                | ~Q(public_body="") & ~Q(public_title=""),
                name="approved_question_has_public_text",
            ),
        ]
        permissions = [
            ("answer_question", "Can answer questions and prepare their public version"),
            ("moderate_question", "Can judge questions as spam or not"),
            ("view_asker_email", "Can see askers' email addresses"),
        ]

    def __str__(self):
        return self.public_title or self.title

    def get_absolute_url(self):
        """The public page (404 unless the question is public)."""
        return reverse("questions:detail", kwargs={"slug": self.public_slug})

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        sources = PUBLICITY_FIELDS | {"public_body"}
        if not (sources | SEARCH_COPIES) & self.get_deferred_fields() and (
            update_fields is None or sources & set(update_fields)
        ):
            copies = {
                "answer_text": self._search_text(),
                "public_body_text": self.public_body if self.is_public else "",
            }
            changed = [name for name, value in copies.items() if getattr(self, name) != value]
            for name in changed:
                setattr(self, name, copies[name])
            if update_fields is not None and changed:
                kwargs["update_fields"] = {*update_fields, *changed}
        super().save(*args, **kwargs)

    def render(self) -> None:
        """Fill the fields derived from the Markdown answer: HTML, and plain text for search
        (only while public: an answer that is not public stays encrypted)."""
        rendered = render_markdown(self.answer) if self.answer else None
        self.answer_html = rendered.html if rendered else ""
        self.answer_text = rendered.text if rendered and self.is_public else ""

    def _search_text(self) -> str:
        if not (self.is_public and self.answer):
            return ""
        return self.answer_text or render_markdown(self.answer).text

    @property
    def public_slug(self) -> str:
        return f"{slugify(self.public_title or 'question')[:60].strip('-')}-{self.public_key}"

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.ANSWERED
            and self.answer_published_at is not None
            and self.consent == self.Consent.APPROVED
            and self.publication != self.Publication.PRIVATE
        )

    @property
    def public_author(self) -> str:
        """The name shown on the public page: only if the asker chose so."""
        return self.name if self.publication == self.Publication.NAMED else ""

    @property
    def progress(self) -> str:
        """What the asker is told: received, answered, published (or declined)."""
        if self.status == self.Status.DECLINED:
            return "declined"
        if self.is_public:
            return "published"
        if self.answer_published_at:
            return "answered"
        return "received"

    def as_submission(self) -> defence.Submission:
        return defence.Submission(f"{self.title}\n{self.body}", self.name, self.email)

    @classmethod
    def commentable_objects(cls):
        """Public questions take comments (painrelief.comments.targets)."""
        return cls.objects.public()
