"""The signed links in emails: a guest's key to their comment, and one-click unsubscribing.

Each token is signed with SECRET_KEY and its own salt; neither expires. Tokens sit in URL
paths, so they carry ids only (painrelief.tokens): a guest's key carries a keyed hash of
the email address, so it stops working if the comment's address is changed.
"""

from django.core import signing
from django.urls import reverse

from painrelief.site import absolute_url
from painrelief.tokens import email_hash, email_matches

from .models import Comment

MANAGE_SALT = "comments.manage"
UNSUBSCRIBE_SALT = "comments.unsubscribe"


def manage_token(comment: Comment) -> str:
    """A guest's key to their comment: edit it for a few minutes, delete it at any time."""
    data = {"c": comment.pk, "h": email_hash(comment.email, salt=MANAGE_SALT)}
    return signing.dumps(data, salt=MANAGE_SALT)


def manage_url(comment: Comment) -> str:
    """The full address of the guest's private page for `comment`, for an email."""
    return absolute_url(reverse("comments:manage", args=[manage_token(comment)]))


def comment_from_manage_token(token: str) -> Comment | None:
    """The guest comment a manage token opens, or None when the token is not (or no longer) good."""
    try:
        data = signing.loads(token, salt=MANAGE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):  # signed by us, but not one of these tokens
        return None
    comment = Comment.objects.filter(pk=data.get("c"), user=None).first()
    if comment is None:
        return None
    if "e" in data:  # emailed before the keys carried a hash: honoured, they never expire
        return comment if comment.email.lower() == data["e"] else None
    return comment if email_matches(comment.email, data.get("h"), salt=MANAGE_SALT) else None


def unsubscribe_token(comment: Comment) -> str:
    """The key of the one-click unsubscribe link from reply notifications about `comment`."""
    return signing.dumps(comment.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(comment: Comment) -> str:
    """The full address that stops reply notifications about `comment`, for an email."""
    return absolute_url(reverse("comments:unsubscribe", args=[unsubscribe_token(comment)]))


def comment_from_unsubscribe_token(token: str) -> Comment | None:
    """The comment an unsubscribe token names, or None."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Comment.objects.filter(pk=pk).first()
