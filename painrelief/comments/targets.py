"""What comments can be attached to: models that define `commentable_objects()`.

A commentable model (Article, and later the answered Question) provides:
- `commentable_objects()`, a classmethod returning the objects whose comments readers see;
- optionally `comments_open`, a per-object switch (open when missing);
- `published_at`, from which comments close after COMMENTS_CLOSE_AFTER_DAYS;
- `get_absolute_url()` and `__str__` (its title);
- optionally `author`, who is told of new comments (else every coach is).
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _


def commentable_models() -> list:
    return [model for model in apps.get_models() if hasattr(model, "commentable_objects")]


def target_label(target) -> str:
    return target._meta.label_lower


def get_target(label: str, pk: int):
    """The commentable object named by "app_label.model" and pk, or None."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    if not hasattr(model, "commentable_objects"):
        return None
    return model.commentable_objects().filter(pk=pk).first()


def target_of(comment):
    """The object a comment belongs to, if readers can still see it."""
    model = ContentType.objects.get_for_id(comment.content_type_id).model_class()
    if model is None or not hasattr(model, "commentable_objects"):
        return None
    return model.commentable_objects().filter(pk=comment.object_id).first()


def closed_reason(target) -> str:
    """Why new comments are refused on `target`, or "" when they are welcome."""
    if not getattr(target, "comments_open", True):
        return _("Comments are closed.")
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    published_at = getattr(target, "published_at", None)
    if days and published_at and published_at < timezone.now() - timedelta(days=days):
        return _("Comments are closed: they close %(days)s days after publication.") % {
            "days": days
        }
    return ""
