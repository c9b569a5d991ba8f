"""Writes with side effects on questions: asking, the coach's work, and the asker's choices.

A question's life, in two parts (status, then the consent to its public version):

    arrival         the spam defence judges it: new, held, or spam
    held/spam ⇄ new moderators decide (moderate), which teaches the filter
    new → answered  the coach publishes the answer (publish_answer): the asker is emailed
    → declined      the coach declines with a message instead (decline)

    not asked → pending      the coach sends the public version (request_consent); needs the
                             answer published, a public title and text, and publication allowed
    pending → approved       the asker approves that exact text (approve_public_text): public
    pending/approved → not asked
                             the coach edits the answer or the public version (the page goes
                             offline until the asker approves again)
    → declined               the asker says no, withdraws, or chooses "keep it private"

The coach's admin save is one call, save_coach_edits(), which checks the action first
(coach_action_problem) so that nothing is saved when it cannot be done. Emails carry links,
never the case or the answer: mailboxes are not private.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from painrelief.pagecache import content_changed
from painrelief.spam import defence
from painrelief.spam import services as spam_services

from . import emails
from .models import Question, RedFlag

# --- Asking ---------------------------------------------------------------------------------


def red_flags_in(text: str, *, flags: Iterable[RedFlag] | None = None) -> list[str]:
    """Names of the red flags whose phrases appear in `text`: of the active ones, or of
    `flags` (loaded once for many texts)."""
    if flags is None:
        flags = RedFlag.objects.filter(active=True)
    return [flag.name for flag in flags if flag.matches(text)]


def ask(
    *, data: dict, user, spam_context: defence.Context, submission_key: str | None = None
) -> Question:
    """Save a reader's question with its red flags and the spam defence's verdict; email the
    asker the private link (not for spam).

    The same question sent again with the same `submission_key` (a double click, a reload of
    the page) is the one already stored: nothing is judged, stored or emailed twice.
    """
    if sent := spam_services.already_sent(Question, submission_key):
        return sent
    question = Question(
        title=data["title"],
        body=data["body"],
        duration=data.get("duration", ""),
        on_behalf=data.get("on_behalf", False),
        name=data["name"],
        email=data["email"],
        publication=data["publication"],
        user=user if user.is_authenticated else None,
        ip_address=spam_context.ip,
        user_agent=spam_context.user_agent,
        submission_key=submission_key,
    )
    question.red_flags = red_flags_in(f"{question.title}\n{question.body}")
    question.has_red_flags = bool(question.red_flags)
    question.apply_verdict(defence.check(question.as_submission(), spam_context))
    with transaction.atomic():
        if (stored := spam_services.save_once(question)) is not question:
            return stored
        question.body_areas.set(data.get("body_areas", []))
        spam_services.remember_sender_if_spam(question)
        if question.status != Question.Status.SPAM:
            _email_asker(question, "received")
    return question


# --- The coach's work -----------------------------------------------------------------------


class CoachAction(models.TextChoices):
    """The buttons of the coach's change page, beside a plain save (a draft)."""

    PUBLISH_ANSWER = "publish_answer", "Save and publish the answer"
    REQUEST_CONSENT = "request_consent", "Save and send the public version for approval"
    DECLINE = "decline", "Decline and send the message"


def coach_action_problem(*, question: Question, action: str | None) -> str:
    """Why `action` cannot be done on `question` as it would be saved, or "" when it can."""
    if action == CoachAction.PUBLISH_ANSWER and not question.answer.strip():
        return _("An empty answer cannot be published.")
    if action == CoachAction.REQUEST_CONSENT:
        if question.publication == Question.Publication.PRIVATE:
            return _("The asker chose to keep this question private.")
        if not (question.public_title.strip() and question.public_body.strip()):
            return _("Write the public title and text first.")
        if question.answer_published_at is None:
            return _("Publish the answer first.")
    if action == CoachAction.DECLINE and not question.decline_message.strip():
        return _("Write the message the asker will read.")
    return ""


class CoachActionRefused(ValueError):
    pass


@transaction.atomic
def save_coach_edits(*, question: Question, changed_fields, action: str | None = None) -> None:
    """Save the coach's edits and do the action of the button pressed, in one save.

    Raises CoachActionRefused, before saving anything, when the action cannot be done.
    """
    problem = coach_action_problem(question=question, action=action)
    if problem:
        raise CoachActionRefused(problem)
    if {"public_title", "public_body", "answer"} & set(changed_fields):
        _take_public_version_offline(question)
    email = ""
    if action == CoachAction.PUBLISH_ANSWER:
        email = _publish_answer(question)
    elif action == CoachAction.REQUEST_CONSENT:
        email = _request_consent(question)
    elif action == CoachAction.DECLINE:
        email = _decline(question)
    question.save()
    content_changed()  # the public page may have been edited, published or taken offline
    if email:
        _email_asker(question, email)


def publish_answer(*, question: Question) -> None:
    """Publish the coach's answer to the asker and tell them by email (a link)."""
    save_coach_edits(question=question, changed_fields=[], action=CoachAction.PUBLISH_ANSWER)


def request_consent(*, question: Question) -> None:
    """Send the asker the exact public text to approve (they chose publication)."""
    save_coach_edits(question=question, changed_fields=[], action=CoachAction.REQUEST_CONSENT)


def decline(*, question: Question) -> None:
    """Decline to answer, with the kind message the asker reads through the private link."""
    save_coach_edits(question=question, changed_fields=[], action=CoachAction.DECLINE)


def _publish_answer(question: Question) -> str:
    first_time = question.answer_published_at is None
    question.status = Question.Status.ANSWERED
    question.answer_published_at = question.answer_published_at or timezone.now()
    return "answered" if first_time else ""


def _request_consent(question: Question) -> str:
    question.consent = Question.Consent.PENDING
    question.consent_text = public_text_of(question)
    question.consent_changed_at = timezone.now()
    question.published_at = None
    return "consent"


def _decline(question: Question) -> str:
    question.status = Question.Status.DECLINED
    question.declined_at = timezone.now()
    return "declined"


def public_text_of(question: Question) -> str:
    """What the asker approves: the public title, the public question and the answer."""
    return f"{question.public_title}\n\n{question.public_body}\n\n{question.answer}"


def _take_public_version_offline(question: Question) -> None:
    """The coach edited the public version: it goes offline until the asker approves again."""
    if question.consent in (Question.Consent.PENDING, Question.Consent.APPROVED):
        question.consent = Question.Consent.NOT_ASKED
        question.consent_text = ""
        question.published_at = None
        question.consent_changed_at = timezone.now()


def _email_asker(question: Question, kind: str) -> None:
    transaction.on_commit(lambda: emails.send.enqueue(kind, question.pk))


def moderate(*, questions, status: str, moderator) -> int:
    """Moderators' spam decisions on held or spam questions; they teach the filter."""
    with transaction.atomic():
        changing = list(
            Question.objects.select_for_update()
            .filter(pk__in=[q.pk for q in questions])
            .exclude(status=status)
        )
        # Held, new or spam: not public, so no plain copy is left for search.
        Question.objects.filter(pk__in=[q.pk for q in changing]).update(
            status=status, answer_text="", public_body_text=""
        )
        if any(q.is_public for q in changing):
            content_changed()
        verdict = {Question.Status.SPAM: "spam", Question.Status.NEW: "ham"}.get(status, "")
        spam_services.record_moderation(
            Question,
            [spam_services.Decided.of(q, from_status=q.status) for q in changing],
            to_status=status,
            verdict=verdict,
            moderator=moderator,
        )
    return len(changing)


# --- The asker's choices --------------------------------------------------------------------


def approve_public_text(*, question: Question) -> bool:
    """The asker approves the public version they were shown. False if it changed since."""
    if question.consent != Question.Consent.PENDING:
        return False
    if question.consent_text != public_text_of(question):
        return False
    question.consent = Question.Consent.APPROVED
    question.consent_changed_at = timezone.now()
    question.published_at = timezone.now()
    question.save(update_fields=["consent", "consent_changed_at", "published_at"])
    content_changed()
    return True


def decline_public_text(*, question: Question) -> None:
    """The asker says no to publication, or withdraws it: the public page goes away."""
    question.consent = Question.Consent.DECLINED
    question.consent_changed_at = timezone.now()
    question.published_at = None
    question.save(update_fields=["consent", "consent_changed_at", "published_at"])
    content_changed()


def change_publication(*, question: Question, publication: str) -> None:
    """The asker changes their choice; "keep it private" takes the page down at once."""
    question.publication = publication
    fields = ["publication"]
    if publication == Question.Publication.PRIVATE and question.consent in (
        Question.Consent.PENDING,
        Question.Consent.APPROVED,
    ):
        question.consent = Question.Consent.DECLINED
        question.consent_changed_at = timezone.now()
        question.published_at = None
        fields += ["consent", "consent_changed_at", "published_at"]
    question.save(update_fields=fields)
    content_changed()  # a named or anonymous page, or no page any more


NEW_LINK_EVERY_SECONDS = 5 * 60


def send_new_link(*, question: Question) -> None:
    """Email the asker a fresh private link (their old one expired); at most one every few
    minutes, so that an old link cannot flood their inbox."""
    if cache.add(f"question-new-link:{question.pk}", 1, NEW_LINK_EVERY_SECONDS):
        _email_asker(question, "new_link")


@transaction.atomic
def delete_question(*, question: Question) -> None:
    """Gone for good: the question, the answer, and the comments on its public page."""
    question.comments.all().delete()
    question.delete()
    content_changed()


@transaction.atomic
def anonymise_question(*, question: Question) -> None:
    """The asker deleted their account and kept their published question: its public version
    and the answer stay, without their name; everything else they gave is erased (the case,
    the title they wrote, name, address, browser, red flags, the coach's notes)."""
    question.title = question.public_title
    question.body = ""
    question.name = ""
    question.email = ""
    question.user = None
    question.ip_address = None
    question.user_agent = ""
    question.on_behalf = False
    question.red_flags = []
    question.has_red_flags = False
    question.internal_notes = ""
    question.decline_message = ""
    question.reasons = [
        {
            "code": "account-deleted",
            "text": "the asker's account was deleted",
            "severity": "",
            "kind": "policy",
        }
    ]
    if question.publication == Question.Publication.NAMED:
        question.publication = Question.Publication.ANONYMOUS
    question.save()
    content_changed()


# --- Retention ------------------------------------------------------------------------------


def purge_expired(*, days: int | None = None, dry_run: bool = False) -> int:
    """Delete unanswered and declined questions older than `days` (QUESTIONS_RETENTION_DAYS),
    with spam and held ones."""
    days = settings.QUESTIONS_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    expired = Question.objects.filter(
        created_at__lt=cutoff,
        status__in=[
            Question.Status.NEW,
            Question.Status.DECLINED,
            Question.Status.HELD,
            Question.Status.SPAM,
        ],
    )
    if dry_run:
        return expired.count()
    count = 0
    for question in expired.iterator():
        delete_question(question=question)
        count += 1
    return count
