from dataclasses import dataclass

from django import template
from django.apps import apps
from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from painrelief.spam.quality import FilterQuality, filter_quality

register = template.Library()


@dataclass(frozen=True)
class Entry:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Queue:
    label: str
    entries: list[Entry]


# What each moderated model counts on the admin index: (status, words, permission needed).
DEFAULT_QUEUE = [("pending", "awaiting moderation", None), ("spam", "spam", None)]


@register.simple_tag(takes_context=True)
def moderation_queues(context) -> list[Queue]:
    """Pending and spam counts of every moderated model the user may see (one query each)."""
    user = context["request"].user
    queues = []
    for label in settings.SPAM_MODERATED_MODELS:
        model = apps.get_model(label)
        meta = model._meta
        if not user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            continue
        wanted = [
            (status, words)
            for status, words, permission in getattr(model, "MODERATION_QUEUE", DEFAULT_QUEUE)
            if permission is None or user.has_perm(permission)
        ]
        # Queues beyond the statuses: (list filter's parameter, value, words, condition).
        extra = model.moderation_filters() if hasattr(model, "moderation_filters") else []
        counts = model.objects.aggregate(
            **{status: Count("pk", filter=Q(status=status)) for status, _ in wanted},
            **{
                f"{name}={value}": Count("pk", filter=condition)
                for name, value, _, condition in extra
            },
        )
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        entries = [
            Entry(words, counts[status], f"{changelist}?status__exact={status}")
            for status, words in wanted
        ] + [
            Entry(words, counts[f"{name}={value}"], f"{changelist}?{name}={value}")
            for name, value, words, _ in extra
        ]
        queues.append(Queue(str(meta.verbose_name_plural).capitalize(), entries))
    return queues


@register.simple_tag
def spam_shadow_mode() -> bool:
    return settings.SPAM_SHADOW_MODE


@register.simple_tag(takes_context=True)
def spam_filter_quality(context) -> FilterQuality | None:
    """The defence against moderators' decisions lately, for those who moderate something."""
    user = context["request"].user
    moderates = any(
        user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
        for model in map(apps.get_model, settings.SPAM_MODERATED_MODELS)
    )
    return filter_quality() if moderates else None


@register.filter
def percent(share: float | None) -> str:
    """0.0123 as "1.2%"; no figure (nothing to divide by) as a dash."""
    return "–" if share is None else f"{share:.1%}"
