"""What the spam defence keeps: learned feature statistics, disallowed terms, decisions, and
the verdict on every judged submission (the abstract base of comments and questions)."""

import re
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .defence import Submission, Verdict

# What a reason quotes of the text: "(0.93: clue, clue)", "“word”".
QUOTED = re.compile(r"\s*\([^)]*\)|\s*“[^”]*”")


class FeatureStat(models.Model):
    """How often a feature was seen in submissions learned as spam and as ham.

    `feature` is a 64-bit hash of the feature string (see classifier.feature_id): the table
    stays small and holds no readable text of anyone's comment.
    """

    feature = models.BigIntegerField(primary_key=True)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("feature statistic")
        verbose_name_plural = _("feature statistics")

    def __str__(self):
        return f"{self.feature}: {self.spam} spam, {self.ham} ham"


class LearnedTotals(models.Model):
    """How many submissions were learned as spam and as ham: one row, id 1."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)
    # The calibrated hold threshold (classifier.recalibrate) and the SPAM_TARGET_FPR it is for.
    hold_above = models.FloatField(null=True, blank=True)
    calibrated_for = models.FloatField(null=True, blank=True)
    fit_pending = models.BooleanField(default=False)  # a fit is queued: one at a time

    class Meta:
        verbose_name = _("learned totals")
        verbose_name_plural = _("learned totals")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="one_totals_row")]

    def __str__(self):
        return f"{self.spam} spam, {self.ham} ham"


class LearnedHamScore(models.Model):
    """The score a learned ham got as if it had not been learned: the hold threshold is
    calibrated on the last few thousand of them (classifier.recalibrate)."""

    score = models.FloatField()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("learned ham score")
        verbose_name_plural = _("learned ham scores")

    def __str__(self):
        return f"{self.score:.4f}"


class TrainingExample(models.Model):
    """A learned submission as the fitted classifier reads it: its label and the keyed hash
    buckets of its features (regression.py), no readable text. A reversed decision deletes it."""

    class Label(models.TextChoices):
        SPAM = "spam", _("spam")
        HAM = "ham", _("ham")

    digest = models.BinaryField(max_length=16)  # keyed digest of the submission
    label = models.CharField(max_length=4, choices=Label)
    buckets = models.BinaryField()  # zlib-compressed little-endian uint32 bucket numbers
    from_site = models.BooleanField(default=True)  # False: the starter corpus
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("training example")
        verbose_name_plural = _("training examples")
        indexes = [models.Index(fields=["digest"], name="training_example_digest")]

    def __str__(self):
        return f"{self.label} #{self.pk}"


class FittedModel(models.Model):
    """One fit of the classifier (regression.refit): the newest row is the current model."""

    token = models.CharField(max_length=32, unique=True)  # what each process caches it by
    weights = models.BinaryField()  # zlib-compressed float32, one per hash bucket
    intercept = models.FloatField()
    # Out-of-fold probabilities of the site's own ham: the hold threshold is calibrated on them.
    ham_scores = models.BinaryField()
    examples = models.PositiveIntegerField()
    # Fitted before the site had examples of its own (mostly the starter corpus): it scores
    # together with the counts (classifier.score).
    cold = models.BooleanField(default=False)
    fitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("fitted model")
        verbose_name_plural = _("fitted models")

    def __str__(self):
        return f"fit of {self.examples} examples at {self.fitted_at:%Y-%m-%d %H:%M}"


class DisallowedTerm(models.Model):
    """A word, phrase, domain, email address or IP address that marks a submission as spam.

    Like WordPress's "disallowed comment keys": matched case-insensitively, anywhere in the
    text, name, email address, website or IP address.
    """

    class Kind(models.TextChoices):
        PHRASE = "phrase", _("Word or phrase (in the text or the name)")
        DOMAIN = "domain", _("Domain (in links, the website or the email address)")
        EMAIL = "email", _("Email address")
        IP = "ip", _("IP address or prefix")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.PHRASE)
    value = models.CharField(_("value"), max_length=200)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("disallowed term")
        verbose_name_plural = _("disallowed terms")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="one_disallowed_term")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs):
        self.value = self.value.strip().lower()
        super().save(*args, **kwargs)


class Decision(models.Model):
    """A moderator's decision on a submission: who, when, from what status to what."""

    content_type = models.ForeignKey(ContentType, models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    submission = GenericForeignKey("content_type", "object_id")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, verbose_name=_("moderator")
    )
    from_status = models.CharField(_("from"), max_length=20)
    to_status = models.CharField(_("to"), max_length=20)
    taught = models.CharField(
        _("taught the filter"), max_length=10, blank=True, help_text=_("spam, ham or nothing")
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        indexes = [models.Index(fields=["content_type", "object_id"], name="decision_target")]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class SpamSource(models.Model):
    """Who sent a submission judged spam: later submissions from them are held."""

    content_type = models.ForeignKey(ContentType, models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    email = models.CharField(_("email"), max_length=254, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("marked"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("spam source")
        verbose_name_plural = _("spam sources")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_spam_source")
        ]

    def __str__(self):
        return self.email or str(self.ip)


class JudgedSubmission(models.Model):
    """Something a person sent through a public form, with the spam defence's verdict on it.

    A subclass has a `status` field and says which status each decision of the defence gives
    (`STATUS_OF_DECISION`), which kind of submission it is (`SPAM_KIND`, a key of
    defence.POLICIES), and what the defence reads of it (`as_submission()`).
    """

    SPAM_KIND: ClassVar[str]
    STATUS_OF_DECISION: ClassVar[dict[str, str]]

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
    reasons = models.JSONField(
        _("why this status"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("What the spam defence based its verdict on."),
    )
    reason_codes = models.CharField(max_length=300, blank=True, editable=False)
    taught_as = models.CharField(
        _("taught the filter as"), max_length=4, blank=True, editable=False
    )
    ip_address = models.GenericIPAddressField(
        _("IP address"), null=True, blank=True, editable=False
    )
    user_agent = models.CharField(_("browser"), max_length=300, blank=True, editable=False)
    # The same content sent twice from one rendered form (SpamGuardMixin.submission_key) is
    # stored once: the unique constraint settles a double click even when both arrive at once.
    submission_key = models.CharField(
        max_length=40, null=True, blank=True, unique=True, editable=False
    )

    VERDICT_FIELDS = ("status", "spam_score", "spam_verdict", "reasons", "reason_codes")

    class Meta:
        abstract = True

    def as_submission(self) -> "Submission":
        raise NotImplementedError

    def apply_verdict(self, verdict: "Verdict") -> None:
        """Take the defence's verdict: the status it gives, its score and its reasons."""
        self.status = self.STATUS_OF_DECISION[verdict.decision]
        self.spam_score = verdict.score
        self.spam_verdict = verdict.defence_decision
        self.reasons = verdict.reason_dicts()
        self.reason_codes = verdict.reason_codes()

    @property
    def overrules_the_filter(self) -> bool:
        """Its status is not the one the filter's verdict gives (shadow mode, or a moderator)."""
        judged_statuses = self.STATUS_OF_DECISION.values()
        return (
            bool(self.spam_verdict)
            and self.status in judged_statuses
            and (self.STATUS_OF_DECISION.get(self.spam_verdict) != self.status)
        )

    @property
    def reason_texts(self) -> list[str]:
        """Why it has its status, in words (the spam defence's reasons)."""
        return [r["text"] if isinstance(r, dict) else str(r) for r in self.reasons]

    @property
    def reason_texts_unquoted(self) -> list[str]:
        """The reasons without what they quote of the text (the classifier's clues, a
        disallowed word): for an email, which is not a private place."""
        return [QUOTED.sub("", text).strip() for text in self.reason_texts]
