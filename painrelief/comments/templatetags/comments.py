from django import template
from django.urls import reverse

from ..targets import target_label

register = template.Library()


@register.simple_tag
def comment_post_url(target) -> str:
    """Where the comment form of `target` posts to."""
    return reverse("comments:post", kwargs={"label": target_label(target), "pk": target.pk})


@register.simple_tag
def comment_form_state_url(target) -> str:
    """Where a cached page of `target` fetches the visitor's CSRF token, stamp and held comments."""
    return reverse("comments:form-state", kwargs={"label": target_label(target), "pk": target.pk})
