"""The one place that decides the status of a new or edited comment.

The spam defence replaces the inside of `decide()`; everything that posts or edits a comment
calls it and stores the verdict's status and reasons.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models.functions import Lower

from .models import Comment


@dataclass(frozen=True)
class Verdict:
    status: str
    reasons: tuple[str, ...] = ()


def decide(comment: Comment) -> Verdict:
    """The status `comment` gets, with the reasons, before it is saved.

    Until the spam defence lands this is WordPress's default: signed-in readers are trusted,
    a guest is held until a comment from the same name and email address has been approved.
    """
    if comment.user_id:
        return Verdict(Comment.Status.APPROVED, ("signed-in reader",))
    if settings.COMMENTS_HOLD_FIRST_TIME_GUESTS and not has_approved_comment(comment):
        return Verdict(Comment.Status.PENDING, ("first comment from this name and email",))
    return Verdict(Comment.Status.APPROVED, ("guest with an approved comment",))


def has_approved_comment(comment: Comment) -> bool:
    return (
        Comment.objects.approved()
        .annotate(email_lower=Lower("email"))
        .filter(email_lower=comment.email.lower(), name__iexact=comment.name, user=None)
        .exists()
    )
