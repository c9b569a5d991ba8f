"""The subscription emails, sent as tasks through the outbox: the confirmation link, each new
article, and the weekly summary. Every one but the confirmation carries one-click unsubscribe
headers (RFC 8058), which mail programs show as their own button."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from painrelief.mail import outbox
from painrelief.site import absolute_url

from .models import Subscription

BATCH_SIZE = 100


def links(subscription: Subscription) -> dict[str, str]:
    key = {"key": subscription.key}
    return {
        "confirm_url": absolute_url(reverse("subscriptions:confirm", kwargs=key)),
        "manage_url": absolute_url(reverse("subscriptions:manage", kwargs=key)),
        "unsubscribe_url": absolute_url(reverse("subscriptions:unsubscribe", kwargs=key)),
    }


def _message(subscription, subject, template, variables) -> EmailMessage:
    urls = links(subscription)
    body = render_to_string(
        template,
        {**variables, **urls, "subscription": subscription, "SITE_NAME": settings.SITE_NAME},
    )
    return EmailMessage(
        subject,
        body,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{urls['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


@task(takes_context=True)
def send_confirmation(context, subscription_id: int) -> None:
    """The double opt-in link; to an address already confirmed, a link to its choices."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return
    confirmed = subscription.confirmed_at is not None
    template = "already_subscribed.txt" if confirmed else "confirm.txt"
    message = _message(
        subscription,
        f"{'Your' if confirmed else 'Confirm your'} subscription to {settings.SITE_NAME}",
        f"subscriptions/emails/{template}",
        {},
    )
    if not confirmed:
        message.extra_headers = {}  # nothing to unsubscribe from before confirming
    outbox.send(message, key=f"{context.task_result.id}:{subscription.pk}")


@task()
def send_article_batch(article_id: int, after_pk: int) -> None:
    """One new article to the next BATCH_SIZE confirmed subscriptions that want each article;
    then the next batch is queued. The outbox's key makes a retried batch send nothing twice."""
    from articles.models import Article

    article = Article.objects.published().select_related("category").filter(pk=article_id).first()
    if article is None:
        return  # taken down since
    batch = list(
        Subscription.objects.confirmed()
        .filter(frequency=Subscription.Frequency.EACH, pk__gt=after_pk)
        .interested_in(article)
        .order_by("pk")[:BATCH_SIZE]
    )
    variables = {"article": article, "article_url": absolute_url(article.get_absolute_url())}
    for subscription in batch:
        message = _message(
            subscription, article.title, "subscriptions/emails/new_article.txt", variables
        )
        outbox.send(message, key=f"article:{article.pk}:{subscription.pk}")
    if len(batch) == BATCH_SIZE:
        send_article_batch.enqueue(article_id, batch[-1].pk)


@task()
def send_weekly_summaries(after_pk: int = 0) -> None:
    """To each weekly subscription, the articles published since its last summary (none: no
    email), BATCH_SIZE subscriptions at a time."""
    from articles.models import Article

    now = timezone.now()
    batch = list(
        Subscription.objects.confirmed()
        .filter(frequency=Subscription.Frequency.WEEKLY, pk__gt=after_pk)
        .prefetch_related("categories")
        .order_by("pk")[:BATCH_SIZE]
    )
    for subscription in batch:
        since = subscription.last_digest_at or subscription.confirmed_at
        if since > now - timedelta(days=6, hours=12):
            continue  # summarised less than a week ago
        articles = Article.objects.published().filter(published_at__gt=since)
        chosen = list(subscription.categories.all())
        if chosen:
            articles = articles.filter(in_any_of(chosen))
        articles = list(articles.order_by("published_at"))
        if articles:
            items = [(a, absolute_url(a.get_absolute_url())) for a in articles]
            message = _message(
                subscription,
                f"This week on {settings.SITE_NAME}",
                "subscriptions/emails/weekly.txt",
                {"items": items},
            )
            outbox.send(message, key=f"weekly:{now:%G-%V}:{subscription.pk}")
        Subscription.objects.filter(pk=subscription.pk).update(last_digest_at=now)
    if len(batch) == BATCH_SIZE:
        send_weekly_summaries.enqueue(batch[-1].pk)


def in_any_of(categories) -> Q:
    """Articles of these categories or of categories below them."""
    condition = Q(pk__in=[])
    for category in categories:
        condition |= Q(category__path=category.path)
        condition |= Q(category__path__startswith=f"{category.path}/")
    return condition


@task()
def announce_new_articles() -> None:
    from . import services

    services.announce_new_articles()
