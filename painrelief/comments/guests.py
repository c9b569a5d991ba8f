"""Who wrote what without an account, and whom the spam defence trusts.

A guest's own comments are listed in a signed cookie on their browser (30 days, the last 20):
with it they see their held comments, and once one of them is approved, they are trusted.
"""

from .models import Comment

OWN_COMMENTS_COOKIE = "own_comments"
OWN_COMMENTS_SALT = "comments.own"
OWN_COMMENTS_KEPT = 20
OWN_COMMENTS_MAX_AGE = 30 * 24 * 3600


def own_comment_ids(request) -> list[int]:
    """Comments this browser posted as a guest, from the signed cookie (no query)."""
    value = request.get_signed_cookie(
        OWN_COMMENTS_COOKIE, default="", salt=OWN_COMMENTS_SALT, max_age=OWN_COMMENTS_MAX_AGE
    )
    return [int(pk) for pk in value.split(",") if pk.isdigit()][-OWN_COMMENTS_KEPT:]


def remember_own_comment(request, response, comment: Comment) -> None:
    """Add `comment` to the browser's signed cookie of its own comments."""
    ids = [*own_comment_ids(request), comment.pk][-OWN_COMMENTS_KEPT:]
    response.set_signed_cookie(
        OWN_COMMENTS_COOKIE,
        ",".join(map(str, ids)),
        salt=OWN_COMMENTS_SALT,
        max_age=OWN_COMMENTS_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def guest_is_trusted(own_comment_ids: list[int], email: str) -> bool:
    """A guest is trusted once a comment of theirs was approved: one this browser sent (its
    signed cookie lists it) or reached through the link emailed to them, under the same email
    address. Typing a known reader's name and email is not enough."""
    if not own_comment_ids or not email:
        return False
    return (
        Comment.objects.approved()
        .filter(pk__in=own_comment_ids, user=None, email__iexact=email)
        .exists()
    )


def is_proven_guest(request, email: str) -> bool:
    """Whether this browser's guest, writing as `email`, has had a comment approved (an
    account's trust is the spam defence's policy, not this)."""
    if request.user.is_authenticated:
        return False
    return guest_is_trusted(own_comment_ids(request), email)
