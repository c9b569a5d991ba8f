"""Subscribing with double opt-in, changing one's choices, unsubscribing, and announcing new
articles to the confirmed addresses (through the task queue, in batches)."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from painrelief.spam import defence

from . import emails
from .models import Announcement, Subscription

logger = logging.getLogger(__name__)

REPEAT_EMAIL_SECONDS = 5 * 60


def consent_text() -> str:
    return (
        f"Email me {settings.SITE_NAME}'s new articles. My address is used for nothing else, "
        "and every email has a link to stop them at once."
    )


def subscribe(*, email: str, categories, frequency: str, spam_context: defence.Context) -> None:
    """Ask for new articles by email: a confirmation link is emailed (double opt-in).

    The answer is the same whatever the address: an address already confirmed is emailed a
    link to its choices instead, so that the form never tells who subscribes. A robot's
    request (spam, or no valid form stamp) is neither stored nor emailed.
    """
    verdict = defence.check(defence.Submission(text="", email=email), spam_context)
    if defence.sent_by_a_robot(verdict):
        logger.info("Subscription request dropped: %s", verdict.reason_codes())
        return
    email = email.strip().lower()
    with transaction.atomic():
        subscription = _get_or_create(email)
        if subscription.confirmed_at is None:
            subscription.frequency = frequency
            subscription.consent_text = consent_text()
            subscription.save(update_fields=["frequency", "consent_text"])
            subscription.categories.set(categories)
    # One email per address every few minutes: the form cannot flood an inbox.
    if cache.add(f"subscription-email:{email}", 1, REPEAT_EMAIL_SECONDS):
        task = emails.send_confirmation
        transaction.on_commit(lambda: task.enqueue(subscription.pk))


def _get_or_create(email: str) -> Subscription:
    try:
        with transaction.atomic():
            return Subscription.objects.get_or_create(
                email=email, defaults={"consent_text": consent_text()}
            )[0]
    except IntegrityError:  # the same address at the same moment: one row
        return Subscription.objects.get(email=email)


def confirm(subscription: Subscription) -> None:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])


def change_choices(subscription: Subscription, *, categories, frequency: str) -> None:
    subscription.frequency = frequency
    subscription.save(update_fields=["frequency"])
    subscription.categories.set(categories)


def unsubscribe(subscription: Subscription) -> None:
    """Stop the emails: the address is deleted, nothing about it kept."""
    subscription.delete()


def announce_new_articles() -> list[int]:
    """Queue the emails of every article that became public since the last run (published by
    the coach, or a scheduled one whose time came): each is announced once, in batches."""
    from articles.models import Article

    due = (
        Article.objects.published()
        .exclude(pk__in=Announcement.objects.values("article"))
        .values_list("pk", flat=True)
    )
    announced = []
    for article_id in due:
        try:
            with transaction.atomic():
                Announcement.objects.create(article_id=article_id)
        except IntegrityError:
            continue  # another worker announced it a moment ago
        announced.append(article_id)
        emails.send_article_batch.enqueue(article_id, 0)
    return announced
