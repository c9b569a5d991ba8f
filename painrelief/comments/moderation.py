from .models import Comment


def guest_is_trusted(own_comment_ids: list[int], email: str) -> bool:
    """A guest is trusted once a comment of theirs was approved: one this browser sent (its
    signed cookie lists it) or reached through the link emailed to them, under the same email
    address. Typing a known reader's name and email is not enough."""
    if not own_comment_ids or not email:
        return False
    return Comment.objects.filter(
        pk__in=own_comment_ids, user=None, status=Comment.Status.APPROVED, email__iexact=email
    ).exists()
