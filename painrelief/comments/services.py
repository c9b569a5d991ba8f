"""Writes with side effects: posting, editing, deleting, reporting and moderating comments."""

import ipaddress
import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from painrelief.accounts.backends import EmailBackend
from painrelief.counters import count_event
from painrelief.pagecache import content_changed
from painrelief.spam import defence
from painrelief.spam import services as spam_services

from . import emails
from .models import Comment, CommentReport
from .targets import target_of

logger = logging.getLogger(__name__)

GUEST_RECEIPTS_PER_ADDRESS_PER_HOUR = 5
MODERATOR_EDITABLE_FIELDS = ["body", "name", "email", "website", "notify_replies"]
ANSWER_PERMISSIONS = ["comments.add_comment", "comments.moderate_comment"]


def post_comment(
    *,
    target,
    body: str,
    user=None,
    name: str = "",
    email: str = "",
    website: str = "",
    parent: Comment | None = None,
    notify_replies: bool = False,
    spam_context: defence.Context | None = None,
    submission_key: str | None = None,
) -> Comment:
    """Save a comment with the status the moderation policy decides; emails follow the commit.

    `parent` must be a published comment of the same target (the form checks it). A reply to
    a comment already at COMMENTS_MAX_DEPTH is placed beside it, still marked as replying to it.
    The same comment sent again with the same `submission_key` (a double click, a reload, a
    retry after an error) is the one already stored: nothing is judged, stored or sent twice.
    """
    if sent := spam_services.already_sent(Comment, submission_key):
        return sent
    comment = Comment(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        user=user if user is not None and user.is_authenticated else None,
        body=body,
        notify_replies=notify_replies,
        ip_address=spam_context.ip if spam_context else None,
        user_agent=spam_context.user_agent if spam_context else "",
        submission_key=submission_key,
    )
    if comment.user:
        comment.name = comment.user.display_name
    else:
        comment.name, comment.email, comment.website = name, email, website
    if parent is not None:
        placed_under = parent
        if parent.depth >= settings.COMMENTS_MAX_DEPTH and parent.parent_id:
            placed_under = parent.parent
        comment.parent = placed_under
        comment.thread_id = placed_under.thread_id or placed_under.pk
        comment.depth = placed_under.depth + 1
        comment.replied_to = parent
    _judge(comment, spam_context)
    if comment.status == Comment.Status.APPROVED:
        comment.approved_at = comment.created_at
    with transaction.atomic():
        if (stored := spam_services.save_once(comment)) is not comment:
            return stored
        spam_services.remember_sender_if_spam(comment)
        _after_commit(comment, new=True)
        if comment.is_public:
            content_changed()
    return comment


def edit_comment(
    *, comment: Comment, body: str, spam_context: defence.Context | None = None
) -> Comment:
    """Replace the body. The spam defence reads the new text: an edit can hold a published
    comment, never publish a held one."""
    comment.body = body
    comment.edited_at = timezone.now()
    was_public = comment.status == Comment.Status.APPROVED
    if was_public:
        _judge(comment, spam_context)
    comment.save(update_fields=["body", "edited_at", *Comment.VERDICT_FIELDS])
    if was_public:
        content_changed()
    return comment


def _judge(comment: Comment, context: defence.Context | None) -> None:
    """Store the spam defence's verdict on `comment`; the coach and moderators pass unread."""
    if comment.user and comment.user.has_perm("comments.moderate_comment"):
        verdict = defence.STAFF_VERDICT
    else:
        verdict = defence.check(comment.as_submission(), context or defence.Context("comment"))
    comment.apply_verdict(verdict)


@transaction.atomic
def delete_own_comment(*, comment: Comment) -> None:
    """An author deletes their comment: gone, or an empty "removed" place if it has replies.

    The name, email, website, address and text go either way.
    """
    if comment.is_public:
        content_changed()
    if Comment.objects.filter(parent=comment).exists():
        comment.status = Comment.Status.REMOVED
        comment.body = ""
        comment.name = ""
        comment.email = ""
        comment.website = ""
        comment.ip_address = None
        comment.user_agent = ""
        comment.notify_replies = False
        # The defence's reasons may quote the text (the classifier's clues); their codes stay.
        comment.reasons = [
            {"code": "deleted", "text": "deleted by its author", "severity": "", "kind": "policy"}
        ]
        comment.save()
        _decide_reports([comment.pk], outcome="deleted", moderator=None)  # nothing left to judge
    else:
        comment.delete()


FORMER_READER = "a former reader"


@transaction.atomic
def anonymise_comment(*, comment: Comment) -> None:
    """The author deleted their account: a comment others replied to stays, text and all, as
    "a former reader"'s, so that the replies keep their sense; any other is deleted.

    Its account, name, email, website, address and browser go either way.
    """
    if not Comment.objects.filter(parent=comment).exists():
        delete_own_comment(comment=comment)
        return
    if comment.is_public:
        content_changed()
    comment.user = None
    comment.name = FORMER_READER
    comment.email = ""
    comment.website = ""
    comment.ip_address = None
    comment.user_agent = ""
    comment.notify_replies = False
    comment.reasons = [
        {
            "code": "account-deleted",
            "text": "its author's account was deleted",
            "severity": "",
            "kind": "policy",
        }
    ]
    comment.save()


def moderate(*, comments, status: str, moderator=None, teach: bool = True) -> int:
    """Set the status of comments in one query; first approvals send their emails.

    `comments` is a queryset or a list. A moderator's decision is recorded, settles the
    readers' open reports of the comments, and, when it says spam or approves (and `teach`),
    teaches the classifier. Returns how many comments changed status.
    """
    pks = [c.pk for c in comments]
    with transaction.atomic():
        changing = list(
            Comment.objects.select_for_update(of=("self",))
            .filter(pk__in=pks)
            .exclude(status=status)
            .select_related("user")  # as_submission() reads the author's account
        )
        changed = [c.pk for c in changing]
        previous = {c.pk: c.status for c in changing}
        Comment.objects.filter(pk__in=changed).update(status=status)
        if changing and Comment.Status.APPROVED in {status, *previous.values()}:
            content_changed()
        if status == Comment.Status.APPROVED:
            first_approvals = [c for c in changing if c.approved_at is None]
            Comment.objects.filter(pk__in=[c.pk for c in first_approvals]).update(
                approved_at=timezone.now()
            )
            for comment in first_approvals:
                comment.status = status
                _after_commit(comment, new=False)
        verdict = {Comment.Status.SPAM: "spam", Comment.Status.APPROVED: "ham"}.get(status, "")
        if not teach:
            verdict = ""
        if moderator is not None and changed:
            _decide_reports(changed, outcome=status, moderator=moderator)
        # The coach's and moderators' own comments teach the filter nothing.
        staff = (
            set(EmailBackend().with_perm("comments.moderate_comment").values_list("pk", flat=True))
            if changing
            else set()
        )
        spam_services.record_moderation(
            Comment,
            [
                spam_services.Decided.of(
                    c, from_status=previous[c.pk], teaches=c.user_id not in staff
                )
                for c in changing
            ],
            to_status=status,
            verdict=verdict,
            moderator=moderator,
        )
    return len(changed)


# --- Readers' reports ------------------------------------------------------------------------


def reporter_key(ip: str | None) -> str:
    """Who a guest reporter is: a digest of their IP address, keyed by the SECRET_KEY so that
    the stored value does not give the address back. An IPv6 address counts by its /64, the
    block one home or phone is given (a person can take any address inside it)."""
    address = ip or ""
    if ip and ipaddress.ip_address(ip).version == 6:
        address = str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return salted_hmac("comments.report", address, algorithm="sha256").hexdigest()


def report_comment(
    *,
    comment: Comment,
    reason: str,
    note: str = "",
    user=None,
    own_guest_ids: list[int] = (),
    spam_context: defence.Context | None = None,
) -> CommentReport | None:
    """A reader reports a comment; once COMMENT_REPORTS_TO_HIDE readers have (one who
    moderates is enough), the comment is hidden until a moderator decides.

    One report per reader and comment: a repeat (a double click, another visit) returns the
    report stored first. A report the spam defence holds is kept for the moderators but does
    not count; a robot's is dropped (None). Reporting one's own comment is refused.
    """
    signed_in = user is not None and user.is_authenticated
    if comment.is_own(user or AnonymousUser(), list(own_guest_ids)):
        raise ValidationError(_("You cannot report your own comment."), code="own_comment")
    context = spam_context or defence.Context("report")
    moderates = signed_in and user.has_perm("comments.moderate_comment")
    if moderates:
        verdict = defence.STAFF_VERDICT
    else:
        author = user.display_name if signed_in else ""
        email = user.email if signed_in else ""
        verdict = defence.check(defence.Submission(text=note, author=author, email=email), context)
    if defence.sent_by_a_robot(verdict):
        logger.info("Comment report dropped: %s", verdict.reason_codes())
        return None
    report = CommentReport(
        comment=comment,
        reason=reason,
        note=note,
        user=user if signed_in else None,
        guest_key="" if signed_in else reporter_key(context.ip),
        counts=verdict.decision == defence.APPROVE,
        held_because=verdict.reason_codes() if verdict.decision != defence.APPROVE else "",
    )
    with transaction.atomic():
        # One report at a time per comment: the count that hides it sees every one before it.
        Comment.objects.select_for_update().filter(pk=comment.pk).first()
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            return _stored_report(report)
        counted = comment.reports.counted().count()
        hides = report.counts and (moderates or counted >= settings.COMMENT_REPORTS_TO_HIDE)
        if hides and hide_reported_comment(comment=comment) and not moderates:
            # Readers hid it: the moderators hear of it (one who hid it knows).
            transaction.on_commit(
                lambda: emails.notify_moderators_of_hidden_comment.enqueue(comment.pk)
            )
    return report


def _stored_report(report: CommentReport) -> CommentReport:
    if report.user_id:
        return CommentReport.objects.get(comment=report.comment, user=report.user)
    return CommentReport.objects.get(comment=report.comment, guest_key=report.guest_key)


def hide_reported_comment(*, comment: Comment) -> int:
    """Readers' reports take an approved comment off the public pages: it waits for a
    moderator as a held comment does (its author sees it as awaiting moderation)."""
    return moderate(
        comments=Comment.objects.approved().filter(pk=comment.pk), status=Comment.Status.PENDING
    )


def keep_reported_comments(*, comments, moderator) -> int:
    """A moderator keeps reported comments: their open reports are dismissed (they never count
    again) and those the reports hid are shown again. The filter learns "not spam" only from
    a comment whose text it had flagged: one it let through taught it nothing new.

    Returns how many comments had open reports."""
    pks = [c.pk for c in comments]
    with transaction.atomic():
        reported = Comment.objects.filter(pk__in=pks).filter(
            Exists(CommentReport.objects.open().filter(comment=OuterRef("pk")))
        )
        hidden = list(reported.filter(status=Comment.Status.PENDING))
        kept = list(reported.values_list("pk", flat=True))
        _decide_reports(kept, outcome="kept", moderator=moderator)
        flagged = [c for c in hidden if _text_was_flagged(c)]
        unflagged = [c for c in hidden if not _text_was_flagged(c)]
        moderate(comments=flagged, status=Comment.Status.APPROVED, moderator=moderator)
        moderate(
            comments=unflagged, status=Comment.Status.APPROVED, moderator=moderator, teach=False
        )
    return len(kept)


def _decide_reports(comment_ids, *, outcome: str, moderator) -> None:
    """Close the open reports of these comments (one query)."""
    CommentReport.objects.open().filter(comment__in=comment_ids).update(
        decided_at=timezone.now(), decided_by=moderator, outcome=outcome
    )


def _text_was_flagged(comment: Comment) -> bool:
    """Whether the spam defence held or refused the comment for what it says (the classifier,
    links, a disallowed term, Akismet...), not only for who sent it or how."""
    return any(
        isinstance(r, dict) and r.get("kind") == defence.CONTENT and r.get("severity")
        for r in comment.reasons
    )


def may_answer(user) -> bool:
    """Whether `user` answers comments from the admin: the coach, who also moderates."""
    return user.has_perms(ANSWER_PERMISSIONS)


def check_answer(*, parent: Comment, user):
    """The public page on which `user` may answer `parent`, or a ValidationError saying why not."""
    if not may_answer(user):
        raise ValidationError(_("Only the coach answers comments."), code="permission_denied")
    target = target_of(parent)
    if target is None:
        raise ValidationError(
            _("This comment's page is not public: nobody would read an answer there."),
            code="not_public",
        )
    return target


def reply_as_staff(*, parent: Comment, user, body: str) -> Comment:
    """The coach answers a comment from the admin: the comment is approved and the answer
    published under it at once (the spam defence trusts those who moderate)."""
    target = check_answer(parent=parent, user=user)
    with transaction.atomic():
        moderate(comments=[parent], status=Comment.Status.APPROVED, moderator=user)
        return post_comment(target=target, body=body, user=user, parent=parent)


def save_moderator_edit(
    *, comment: Comment, changed_fields, new_status: str, answer: str = "", moderator
) -> Comment | None:
    """A moderator saves a comment's admin page: their corrections (marked edited when the text
    changed), the new status, and the coach's answer, which approves the comment. Returns the
    answer. A refused answer raises a ValidationError before anything is saved."""
    if answer:
        check_answer(parent=comment, user=moderator)
    fields = [name for name in MODERATOR_EDITABLE_FIELDS if name in changed_fields]
    if "body" in fields:
        comment.edited_at = timezone.now()
        fields.append("edited_at")
    with transaction.atomic():
        if fields:
            comment.save(update_fields=fields)
            if comment.is_public:
                content_changed()
        if answer:
            reply = reply_as_staff(parent=comment, user=moderator, body=answer)
        else:
            reply = None
            moderate(comments=[comment], status=new_status, moderator=moderator)
    comment.refresh_from_db(fields=["status", "approved_at"])
    return reply


def unsubscribe(*, comment: Comment) -> None:
    Comment.objects.filter(pk=comment.pk).update(notify_replies=False)


def resubscribe(*, comment: Comment) -> None:
    Comment.objects.filter(pk=comment.pk).update(notify_replies=True)


def _after_commit(comment: Comment, *, new: bool) -> None:
    """Queue the emails a comment triggers, to be sent once the transaction commits."""
    tasks = []
    if new and comment.status != Comment.Status.SPAM and settings.COMMENTS_NOTIFY_COACH:
        tasks.append(emails.notify_coach_of_new_comment)
    if (
        new
        and comment.status == Comment.Status.APPROVED
        and comment.is_by_guest
        and _guest_receipt_allowed(comment.email)
    ):
        # Held guests hear from us once approved (with the same private link): a robot
        # typing someone else's address gets no email sent to it.
        tasks.append(emails.send_guest_receipt)
    if comment.status == Comment.Status.APPROVED:
        if comment.parent_id:
            tasks.append(emails.send_reply_notification)
        if not new and comment.is_by_guest:
            tasks.append(emails.send_approval_notice)
    for email_task in tasks:
        transaction.on_commit(lambda email_task=email_task: email_task.enqueue(comment.pk))


def _guest_receipt_allowed(email: str) -> bool:
    """A few receipts per address an hour: the form cannot be used to flood someone's inbox."""
    key = f"comment-receipts:{email.lower()}"
    return count_event(key, window_seconds=3600) <= GUEST_RECEIPTS_PER_ADDRESS_PER_HOUR
