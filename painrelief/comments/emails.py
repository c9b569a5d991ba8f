"""Emails about comments, sent as background tasks once the comment is committed.

With Django's default immediate task backend they run right after the commit; a mail server
that fails makes the task fail (logged by django.tasks), never the comment. Each task reads
the comment again, so an email about a comment deleted meanwhile is simply not sent.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from painrelief.accounts.roles import Role
from painrelief.site import absolute_url

from .links import manage_url, unsubscribe_url
from .models import Comment
from .targets import target_of


def _address_of(comment: Comment) -> str:
    return comment.user.email if comment.user_id and comment.user else comment.email


def _send(*, to: str, template: str, context: dict, headers: dict | None = None) -> None:
    context = {"SITE_NAME": settings.SITE_NAME, **context}
    subject = " ".join(render_to_string(f"comments/emails/{template}_subject.txt", context).split())
    body = render_to_string(f"comments/emails/{template}.txt", context)
    EmailMessage(subject, body, to=[to], headers=headers).send()


def _load(comment_id: int) -> tuple[Comment | None, object]:
    comment = (
        Comment.objects.select_related("user", "replied_to__user")
        .with_coach_flag()
        .filter(pk=comment_id)
        .first()
    )
    target = target_of(comment) if comment else None
    return comment, target


def coach_recipients(target, commenter_id: int | None) -> list[str]:
    """Who is told of new comments: the target's author, or every coach; not the commenter."""
    author = getattr(target, "author", None)
    users = (
        [author]
        if author is not None
        else get_user_model().objects.filter(groups__name=Role.COACH, is_active=True)
    )
    return [user.email for user in users if user.pk != commenter_id and user.email]


@task
def notify_coach_of_new_comment(comment_id: int) -> None:
    comment, target = _load(comment_id)
    if comment is None or target is None or comment.status == Comment.Status.SPAM:
        return
    for address in coach_recipients(target, comment.user_id):
        _send(
            to=address,
            template="new_comment",
            context={
                "comment": comment,
                "target": target,
                "comment_url": absolute_url(comment.get_absolute_url()),
                "admin_url": absolute_url(
                    reverse("admin:comments_comment_change", args=[comment.pk])
                ),
            },
        )


@task
def send_guest_receipt(comment_id: int) -> None:
    """Tells a guest their comment arrived, with the signed link to edit or delete it."""
    comment, target = _load(comment_id)
    if comment is None or target is None or not comment.is_by_guest:
        return
    _send(
        to=comment.email,
        template="receipt",
        context={
            "comment": comment,
            "target": target,
            "held": not comment.is_public,
            "comment_url": absolute_url(comment.get_absolute_url()),
            "manage_url": manage_url(comment),
            "edit_minutes": settings.COMMENTS_EDIT_MINUTES,
        },
    )


@task
def send_approval_notice(comment_id: int) -> None:
    """Tells a guest whose comment was held that it is now published."""
    comment, target = _load(comment_id)
    if comment is None or target is None or not comment.is_public or not comment.is_by_guest:
        return
    _send(
        to=comment.email,
        template="approved",
        context={
            "comment": comment,
            "target": target,
            "comment_url": absolute_url(comment.get_absolute_url()),
            "manage_url": manage_url(comment),
        },
    )


@task
def send_reply_notification(reply_id: int) -> None:
    """One email per approved reply, to the author of the comment replied to, if they asked."""
    reply, target = _load(reply_id)
    if reply is None or target is None or not reply.is_public or reply.replied_to is None:
        return
    original = reply.replied_to
    if not original.notify_replies or not original.is_public:
        return
    address = _address_of(original)
    if not address or address.lower() == (_address_of(reply) or "").lower():
        return  # nobody is told of their own replies
    unsubscribe = unsubscribe_url(original)
    _send(
        to=address,
        template="reply",
        context={
            "reply": reply,
            "original": original,
            "target": target,
            "reply_url": absolute_url(reply.get_absolute_url()),
            "unsubscribe_url": unsubscribe,
        },
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
