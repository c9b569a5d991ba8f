"""Writes with side effects on questions: asking, answering, consent, declining, privacy.

Emails carry links, never the case or the answer: mailboxes are not private.
"""

import json
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from painrelief.spam import defence
from painrelief.spam import services as spam_services
from painrelief.spam.tokens import Submission

from . import emails
from .models import Question, RedFlag

PRIVATE_SALT = "questions.private"
STATUS_OF_DECISION = {
    defence.APPROVE: Question.Status.NEW,
    defence.HOLD: Question.Status.HELD,
    defence.SPAM: Question.Status.SPAM,
}


# --- Private links --------------------------------------------------------------------------


def private_token(question: Question) -> str:
    return signing.dumps({"q": question.pk, "k": question.public_key}, salt=PRIVATE_SALT)


def question_from_token(token: str) -> tuple[Question | None, str]:
    """The question a private link opens, or None with why: "expired" or "invalid"."""
    max_age = timedelta(days=settings.QUESTIONS_LINK_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=PRIVATE_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"
    question = Question.objects.filter(pk=data.get("q"), public_key=data.get("k")).first()
    return question, "" if question else "invalid"


def private_url(question: Question, base_url: str) -> str:
    return base_url + reverse("questions:private", kwargs={"token": private_token(question)})


# --- Asking ---------------------------------------------------------------------------------


def red_flags_in(text: str) -> list[str]:
    """Names of the red flags whose phrases appear in `text`."""
    return [flag.name for flag in RedFlag.objects.filter(active=True) if flag.matches(text)]


def ask(*, data: dict, user, spam_context: defence.Context, base_url: str) -> Question:
    """Save a reader's question with its red flags and the spam defence's verdict; email the
    asker the private link (not for spam)."""
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
    )
    question.red_flags = red_flags_in(f"{question.title}\n{question.body}")
    question.has_red_flags = bool(question.red_flags)
    verdict = defence.check(
        Submission(
            text=f"{question.title}\n{question.body}", author=question.name, email=question.email
        ),
        spam_context,
    )
    _store_verdict(question, verdict)
    with transaction.atomic():
        question.save()
        question.body_areas.set(data.get("body_areas", []))
        if question.status == Question.Status.SPAM:
            spam_services.remember_spam_sources(
                Question, [(question.pk, question.email, question.ip_address)]
            )
        else:
            url = private_url(question, base_url)
            transaction.on_commit(lambda: emails.send.enqueue("received", question.email, url))
    return question


def _store_verdict(question: Question, verdict: defence.Verdict) -> None:
    question.status = STATUS_OF_DECISION[verdict.decision]
    question.spam_score = verdict.score
    question.spam_verdict = verdict.defence_decision
    question.reasons = verdict.reason_dicts()
    question.reason_codes = verdict.reason_codes()


# --- The coach's work -----------------------------------------------------------------------


def publish_answer(*, question: Question, base_url: str) -> None:
    """Publish the coach's answer to the asker and tell them by email (a link)."""
    if not question.answer.strip():
        raise ValueError("An empty answer cannot be published.")
    first_time = question.answer_published_at is None
    question.status = Question.Status.ANSWERED
    question.answer_published_at = question.answer_published_at or timezone.now()
    question.save()
    if first_time:
        url = private_url(question, base_url)
        transaction.on_commit(lambda: emails.send.enqueue("answered", question.email, url))


def request_consent(*, question: Question, base_url: str) -> None:
    """Send the asker the exact public text to approve (they chose publication)."""
    if question.publication == Question.Publication.PRIVATE:
        raise ValueError("The asker chose to keep this question private.")
    if not (question.public_title.strip() and question.public_body.strip()):
        raise ValueError("Write the public title and text first.")
    if question.answer_published_at is None:
        raise ValueError("Publish the answer first.")
    question.consent = Question.Consent.PENDING
    question.consent_text = public_text_of(question)
    question.consent_changed_at = timezone.now()
    question.published_at = None
    question.save()
    url = private_url(question, base_url)
    transaction.on_commit(lambda: emails.send.enqueue("consent", question.email, url))


def public_text_of(question: Question) -> str:
    """What the asker approves: the public title, the public question and the answer."""
    return f"{question.public_title}\n\n{question.public_body}\n\n{question.answer}"


def public_text_changed(*, question: Question) -> None:
    """The coach edited the public version: it goes offline until the asker approves again."""
    if question.consent in (Question.Consent.PENDING, Question.Consent.APPROVED):
        question.consent = Question.Consent.NOT_ASKED
        question.consent_text = ""
        question.published_at = None
        question.consent_changed_at = timezone.now()


def decline(*, question: Question, message: str, base_url: str) -> None:
    """Decline to answer, with a kind message the asker reads through the private link."""
    question.status = Question.Status.DECLINED
    question.decline_message = message
    question.declined_at = timezone.now()
    question.save()
    url = private_url(question, base_url)
    transaction.on_commit(lambda: emails.send.enqueue("declined", question.email, url))


def moderate(*, questions, status: str, moderator) -> int:
    """Moderators' spam decisions on held or spam questions; they teach the filter."""
    with transaction.atomic():
        changing = list(
            Question.objects.select_for_update()
            .filter(pk__in=[q.pk for q in questions])
            .exclude(status=status)
        )
        Question.objects.filter(pk__in=[q.pk for q in changing]).update(status=status)
        verdict = {Question.Status.SPAM: "spam", Question.Status.NEW: "ham"}.get(status, "")
        spam_services.record_moderation(
            Question,
            [
                spam_services.Decided(
                    pk=q.pk,
                    from_status=q.status,
                    submission=submission_of(q),
                    taught_as=q.taught_as,
                    ip=q.ip_address,
                    user_agent=q.user_agent,
                )
                for q in changing
            ],
            to_status=status,
            verdict=verdict,
            kind="question",
            moderator=moderator,
        )
    return len(changing)


def submission_of(question: Question) -> Submission:
    return Submission(f"{question.title}\n{question.body}", question.name, question.email)


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
    return True


def decline_public_text(*, question: Question) -> None:
    """The asker says no to publication, or withdraws it: the public page goes away."""
    question.consent = Question.Consent.DECLINED
    question.consent_changed_at = timezone.now()
    question.published_at = None
    question.save(update_fields=["consent", "consent_changed_at", "published_at"])


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


@transaction.atomic
def delete_question(*, question: Question) -> None:
    """Gone for good: the question, the answer, and the comments on its public page."""
    question.comments.all().delete()
    question.delete()


# --- Privacy ---------------------------------------------------------------------------------


def export_person(email: str) -> str:
    """Everything the site keeps about one email address, as JSON."""
    from painrelief.accounts.models import User
    from painrelief.comments.models import Comment
    from painrelief.downloads.models import DownloadRequest

    email_lower = email.strip().lower()
    users = User.objects.filter(email__iexact=email_lower)
    questions = Question.objects.annotate(e=Lower("email")).filter(e=email_lower)
    comments = Comment.objects.annotate(e=Lower("email")).filter(e=email_lower) | (
        Comment.objects.filter(user__in=users)
    )
    data = {
        "email": email_lower,
        "exported_at": timezone.now(),
        "accounts": list(users.values("email", "display_name", "date_joined", "last_login")),
        "questions": [
            {
                "title": q.title,
                "case": q.body,
                "name": q.name,
                "sent": q.created_at,
                "status": q.status,
                "publication": q.publication,
                "body_areas": [a.name for a in q.body_areas.all()],
                "answer": q.answer,
                "public_title": q.public_title,
                "public_text": q.public_body,
            }
            for q in questions.prefetch_related("body_areas")
        ],
        "comments": list(
            comments.values(
                "name", "email", "website", "body", "created_at", "status", "ip_address"
            )
        ),
        "download_requests": list(
            DownloadRequest.objects.filter(email__iexact=email_lower).values(
                "resource__title", "requested_at", "confirmed_at", "consent_text"
            )
        ),
    }
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


@transaction.atomic
def erase_person(email: str) -> dict[str, int]:
    """Delete everything kept about one email address (an account is deleted too)."""
    from painrelief.accounts.models import User
    from painrelief.comments.models import Comment
    from painrelief.comments.services import delete_own_comment
    from painrelief.downloads.models import DownloadRequest

    email_lower = email.strip().lower()
    users = list(User.objects.filter(email__iexact=email_lower))
    questions = list(Question.objects.annotate(e=Lower("email")).filter(e=email_lower))
    for question in questions:
        delete_question(question=question)
    comments = list(
        Comment.objects.annotate(e=Lower("email")).filter(e=email_lower)
        | Comment.objects.filter(user__in=users)
    )
    for comment in comments:
        delete_own_comment(comment=comment)
    downloads, _ = DownloadRequest.objects.filter(email__iexact=email_lower).delete()
    for user in users:
        user.delete()
    return {
        "questions": len(questions),
        "comments": len(comments),
        "download requests": downloads,
        "accounts": len(users),
    }


def purge_expired(*, days: int, dry_run: bool = False) -> int:
    """Delete unanswered and declined questions older than `days` (with spam and held ones)."""
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
