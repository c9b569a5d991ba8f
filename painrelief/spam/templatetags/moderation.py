from dataclasses import dataclass

from django import template
from django.apps import apps
from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

register = template.Library()


@dataclass(frozen=True)
class Queue:
    label: str
    pending: int
    spam: int
    pending_url: str
    spam_url: str


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
        counts = model.objects.aggregate(
            pending=Count("pk", filter=Q(status="pending")),
            spam=Count("pk", filter=Q(status="spam")),
        )
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        queues.append(
            Queue(
                label=str(meta.verbose_name_plural).capitalize(),
                pending=counts["pending"],
                spam=counts["spam"],
                pending_url=f"{changelist}?status__exact=pending",
                spam_url=f"{changelist}?status__exact=spam",
            )
        )
    return queues


@register.simple_tag
def spam_shadow_mode() -> bool:
    return settings.SPAM_SHADOW_MODE
