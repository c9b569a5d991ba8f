"""Emails about comments, written by background tasks once the comment is committed.

Each task reads the comment again (an email about a comment deleted meanwhile is not sent) and
hands its email to the outbox (painrelief.mail.outbox), which delivers it and retries while
the mail server is away; a failing mail server never fails the comment.
"""

from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from painrelief.accounts.roles import Role
from painrelief.mail import outbox
from painrelief.site import absolute_url

from .links import manage_url, unsubscribe_url
from .models import Comment
from .targets import target_of


def _address_of(comment: Comment) -> str:
    return comment.user.email if comment.user_id and comment.user else comment.email


def _send(
    task_context, *, to: str, template: str, variables: dict, headers: dict | None = None
) -> None:
    """Write the email to the outbox, once per run of the task and recipient."""
    variables = {"SITE_NAME": settings.SITE_NAME, **variables}
    subject = render_to_string(f"comments/emails/{template}_subject.txt", variables)
    body = render_to_string(f"comments/emails/{template}.txt", variables)
    message = EmailMessage(" ".join(subject.split()), body, to=[to], headers=headers)
    outbox.send(message, key=f"{task_context.task_result.id}:{to}")


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


@task(takes_context=True)
def notify_coach_of_new_comment(context, comment_id: int) -> None:
    comment, target = _load(comment_id)
    if comment is None or target is None or comment.status == Comment.Status.SPAM:
        return
    for address in coach_recipients(target, comment.user_id):
        _send(
            context,
            to=address,
            template="new_comment",
            variables={
                "comment": comment,
                "target": target,
                "comment_url": absolute_url(comment.get_absolute_url()),
                "admin_url": absolute_url(
                    reverse("admin:comments_comment_change", args=[comment.pk])
                ),
            },
        )


def moderator_recipients(target) -> list[str]:
    """Who is told of a comment that needs a moderator: every active moderator and the coaches
    told of the target's comments."""
    moderators = get_user_model().objects.filter(groups__name=Role.MODERATOR, is_active=True)
    addresses = coach_recipients(target, None) + [user.email for user in moderators if user.email]
    return sorted(set(addresses), key=addresses.index)


@task(takes_context=True)
def notify_moderators_of_hidden_comment(context, comment_id: int) -> None:
    """Readers' reports hid a comment: the moderators are asked to keep it or remove it."""
    comment, target = _load(comment_id)
    if comment is None or target is None or comment.status != Comment.Status.PENDING:
        return  # a moderator decided already
    reports = list(comment.reports.counted())
    if not reports:
        return
    reasons = Counter(report.get_reason_display() for report in reports)
    for address in moderator_recipients(target):
        _send(
            context,
            to=address,
            template="hidden_by_reports",
            variables={
                "comment": comment,
                "target": target,
                "readers": len(reports),
                "reasons": [f"{reason} ({n})" for reason, n in reasons.most_common()],
                "admin_url": absolute_url(
                    reverse("admin:comments_comment_change", args=[comment.pk])
                ),
            },
        )


@task(takes_context=True)
def send_guest_receipt(context, comment_id: int) -> None:
    """Tells a guest their comment arrived, with the signed link to edit or delete it."""
    comment, target = _load(comment_id)
    if comment is None or target is None or not comment.is_by_guest:
        return
    _send(
        context,
        to=comment.email,
        template="receipt",
        variables={
            "comment": comment,
            "target": target,
            "held": not comment.is_public,
            "comment_url": absolute_url(comment.get_absolute_url()),
            "manage_url": manage_url(comment),
            "edit_minutes": settings.COMMENTS_EDIT_MINUTES,
        },
    )


@task(takes_context=True)
def send_approval_notice(context, comment_id: int) -> None:
    """Tells a guest whose comment was held that it is now published."""
    comment, target = _load(comment_id)
    if comment is None or target is None or not comment.is_public or not comment.is_by_guest:
        return
    _send(
        context,
        to=comment.email,
        template="approved",
        variables={
            "comment": comment,
            "target": target,
            "comment_url": absolute_url(comment.get_absolute_url()),
            "manage_url": manage_url(comment),
        },
    )


@task(takes_context=True)
def send_reply_notification(context, reply_id: int) -> None:
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
        context,
        to=address,
        template="reply",
        variables={
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
