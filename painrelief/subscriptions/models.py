"""Readers who get new articles by email: their choices, and which articles were announced."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    return secrets.token_urlsafe(24)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def interested_in(self, article):
        """Subscriptions whose categories take in the article's (none chosen: every article)."""
        path = article.category.path
        parts = path.split("/")
        ancestors = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        return self.filter(
            Q(categories__isnull=True) | Q(categories__path__in=ancestors)
        ).distinct()


class Subscription(models.Model):
    """An address that asked for new articles by email; it gets them once confirmed.

    `key` is the only thing its links carry: a random, opaque value (no address in any URL).
    Unsubscribing deletes the row: nothing about the address is kept.
    """

    class Frequency(models.TextChoices):
        EACH = "each", _("An email for each new article")
        WEEKLY = "weekly", _("A weekly summary")

    email = models.EmailField(_("email"), unique=True)
    key = models.CharField(max_length=40, unique=True, default=new_key, editable=False)
    categories = models.ManyToManyField(
        "articles.Category",
        blank=True,
        related_name="+",
        verbose_name=_("categories"),
        help_text=_("None: every new article."),
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency, default=Frequency.EACH
    )
    consent_text = models.TextField(_("what they agreed to"), editable=False)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Announcement(models.Model):
    """An article whose emails went out (or were due when subscriptions began): announced once."""

    article = models.OneToOneField(
        "articles.Article", models.CASCADE, related_name="+", primary_key=True
    )
    announced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("announced article")
        verbose_name_plural = _("announced articles")

    def __str__(self):
        return str(self.article_id)
