"""The one place that decides the status of a new or edited comment: the spam defence's verdict.

Moderators and the coach are trusted outright. Everyone else goes through
`painrelief.spam.defence.check()`, whose decision maps to a status: approve → approved,
hold → pending, spam → spam. Its score and reasons are stored on the comment.
"""

from painrelief.spam import defence
from painrelief.spam.tokens import Submission

from .models import Comment

STATUS_OF_DECISION = {
    defence.APPROVE: Comment.Status.APPROVED,
    defence.HOLD: Comment.Status.PENDING,
    defence.SPAM: Comment.Status.SPAM,
}


def submission_of(comment: Comment) -> Submission:
    user = comment.user
    return Submission(
        text=comment.body,
        author=comment.author_name,
        email=user.email if user else comment.email,
        url=comment.website,
    )


def decide(comment: Comment, context: defence.Context | None) -> defence.Verdict:
    """The spam defence's verdict on `comment`, stored on it (status, score, reasons)."""
    if comment.user and comment.user.has_perm("comments.moderate_comment"):
        verdict = defence.Verdict(
            defence.APPROVE,
            0.0,
            (defence.Reason("staff", "written by the coach or a moderator", "", defence.POLICY),),
        )
    else:
        verdict = defence.check(submission_of(comment), context or defence.Context("comment"))
    comment.status = STATUS_OF_DECISION[verdict.decision]
    comment.spam_score = verdict.score
    comment.spam_verdict = verdict.defence_decision
    comment.reasons = verdict.reason_dicts()
    comment.reason_codes = verdict.reason_codes()
    return verdict
