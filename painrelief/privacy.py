"""Privacy requests: everything the site keeps about one email address, exported or erased.

`HOLDERS` is the one registry of the places that hold a person's data; export and erase both
walk it, so a new model holding personal data is added here, once. It reaches into every app
that keeps personal data, so it lives above them all. What an erase keeps, and why, is listed
in the README ("Privacy requests").
"""

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from painrelief.accounts.models import EmailChange, User
from painrelief.accounts.services import set_avatar
from painrelief.comments.models import Comment, CommentReport
from painrelief.comments.services import anonymise_comment, delete_own_comment
from painrelief.downloads.models import DownloadRequest
from painrelief.mail.models import OutgoingEmail
from painrelief.spam.models import SpamSource
from painrelief.subscriptions import services as subscriptions_services
from painrelief.subscriptions.models import Subscription
from questions import services as questions_services
from questions.models import Question

VERDICT_FIELDS = ["spam_verdict", "spam_score", "reasons"]


@dataclass(frozen=True)
class Keep:
    """What an erase keeps of a person's public contributions. The staff's erase ("forget this
    person") keeps nothing; a reader deleting their account keeps the comments others replied
    to, under "a former reader", and chooses for their published questions."""

    replied_comments: bool = False
    public_questions: bool = False


class Person:
    """One email address and what is found under it: accounts, questions, comments."""

    def __init__(self, email: str, keep: Keep | None = None):
        self.email = email.strip().lower()
        self.keep = keep or Keep()

    @cached_property
    def users(self) -> list[User]:
        return list(User.objects.filter(email__iexact=self.email))

    @cached_property
    def questions(self) -> list[Question]:
        """Sent from the address, or from their account under an address it had before."""
        found = Question.objects.with_email(self.email) | Question.objects.filter(
            user__in=self.users
        )
        return list(found.prefetch_related("body_areas"))

    @cached_property
    def comments(self) -> list[Comment]:
        """Their own comments, as a guest (by address) or signed in."""
        by_email = Comment.objects.annotate(e=Lower("email")).filter(e=self.email)
        return list(by_email | Comment.objects.filter(user__in=self.users))

    @cached_property
    def names(self) -> set[str]:
        """The names they gave: account, questions, comments."""
        names = {user.display_name for user in self.users}
        names |= {q.name for q in self.questions} | {c.name for c in self.comments}
        return {name for name in names if name.strip()}

    @cached_property
    def logged_objects(self) -> list[tuple[ContentType, list[str]]]:
        """The admin-logged objects that are theirs (a log entry names its object)."""
        objects = [*self.users, *self.questions, *self.comments]
        objects += list(DownloadRequest.objects.filter(email__iexact=self.email))
        by_type: dict[ContentType, list[str]] = {}
        for obj in objects:
            by_type.setdefault(ContentType.objects.get_for_model(obj), []).append(str(obj.pk))
        return list(by_type.items())


@dataclass(frozen=True)
class Holder:
    """A place holding personal data: what an export shows of it, and how it is erased."""

    name: str
    export: Callable[[Person], list]
    erase: Callable[[Person], int]


# --- Accounts, sessions, login history ------------------------------------------------------


def _export_accounts(person: Person) -> list:
    return [
        {
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "address_confirmed_at": user.email_confirmed_at,
            "spam_defence_at_signup": user.signup_verdict,
            "spam_defence_reasons": user.signup_reasons,
            "avatar": _data_url(user.avatar),
            "small_avatar": _data_url(user.avatar_small),
        }
        for user in person.users
    ]


def _data_url(image) -> str:
    if not image:
        return ""
    with image.open("rb") as handle:
        return "data:image/webp;base64," + base64.b64encode(handle.read()).decode()


def _erase_accounts(person: Person) -> int:
    for user in person.users:
        set_avatar(user=user, avatar=None)  # its files are public at their address until deleted
        user.delete()
    return len(person.users)


def _sessions_of(person: Person) -> list[Session]:
    """Their sessions: the user id is inside the encoded data, so each one is read (rare)."""
    user_ids = {str(user.pk) for user in person.users}
    if not user_ids:
        return []
    return [
        session
        for session in Session.objects.iterator()
        if str(session.get_decoded().get("_auth_user_id")) in user_ids
    ]


def _export_sessions(person: Person) -> list:
    return [{"expires": session.expire_date} for session in _sessions_of(person)]


def _erase_sessions(person: Person) -> int:
    """Deleted through the session engine: one that reads sessions from a cache (Redis)
    would otherwise keep them signed in from its copy."""
    sessions = _sessions_of(person)
    engine = import_module(settings.SESSION_ENGINE)
    for session in sessions:
        engine.SessionStore().delete(session.session_key)
    return len(sessions)


LOGIN_RECORDS = [AccessLog, AccessAttempt, AccessFailureLog]  # django-axes, by username


def _export_logins(person: Person) -> list:
    return [
        {"kind": model._meta.verbose_name, **row}
        for model in LOGIN_RECORDS
        for row in model.objects.filter(username__iexact=person.email).values(
            "attempt_time", "ip_address", "user_agent", "path_info"
        )
    ]


def _erase_logins(person: Person) -> int:
    erased = 0
    for model in LOGIN_RECORDS:
        records = model.objects.filter(username__iexact=person.email)
        erased += records.count()
        records.delete()
    return erased


# --- Questions and comments -----------------------------------------------------------------


def _export_questions(person: Person) -> list:
    return [
        {
            "title": q.title,
            "case": q.body,
            "name": q.name,
            "sent": q.created_at,
            "since_when": q.duration,
            "on_behalf": q.on_behalf,
            "body_areas": [a.name for a in q.body_areas.all()],
            "ip_address": q.ip_address,
            "user_agent": q.user_agent,
            "status": q.status,
            "red_flags": q.red_flags,
            "spam_defence": {field: getattr(q, field) for field in VERDICT_FIELDS},
            "answer": q.answer,
            "answer_published_at": q.answer_published_at,
            "internal_notes": q.internal_notes,
            "decline_message": q.decline_message if q.status == Question.Status.DECLINED else "",
            "declined_at": q.declined_at,
            "publication": q.publication,
            "public_title": q.public_title,
            "public_text": q.public_body,
            "consent": {
                "state": q.consent,
                "text_shown_for_approval": q.consent_text,
                "changed_at": q.consent_changed_at,
                "public_since": q.published_at,
            },
        }
        for q in person.questions
    ]


def _kept(person: Person, question: Question) -> bool:
    return person.keep.public_questions and question.is_public


def _erase_questions(person: Person) -> int:
    for question in person.questions:
        if _kept(person, question):
            questions_services.anonymise_question(question=question)
        else:
            questions_services.delete_question(question=question)
    return len(person.questions)


def _export_comments(person: Person) -> list:
    return [
        {
            "on": str(comment.target) if comment.target else "",
            "name": comment.name,
            "email": comment.email,
            "website": comment.website,
            "body": comment.body,
            "created_at": comment.created_at,
            "edited_at": comment.edited_at,
            "status": comment.status,
            "notify_replies": comment.notify_replies,
            "ip_address": comment.ip_address,
            "user_agent": comment.user_agent,
            "spam_defence": {field: getattr(comment, field) for field in VERDICT_FIELDS},
        }
        for comment in person.comments
    ]


def _erase_comments(person: Person) -> int:
    """Their comments, and the others' comments on their questions (which go with the page,
    when the questions are erased next). The deepest first: their own replies are gone before
    it is decided whether a comment of theirs still has replies."""
    on_their_questions = Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(Question),
        object_id__in=[q.pk for q in person.questions if not _kept(person, q)],
    ).exclude(pk__in=[c.pk for c in person.comments])
    erase = anonymise_comment if person.keep.replied_comments else delete_own_comment
    for comment in sorted(person.comments, key=lambda c: -c.depth):
        erase(comment=comment)
    return len(person.comments) + on_their_questions.count()


def _reports_of(person: Person):
    """The reports they made of others' comments (signed in: a guest's report is known only by
    a digest of an IP address), and the reports of their comments (notes may quote them). A
    deleted account's answered comments stay as "a former reader"'s, and so do their reports."""
    theirs = Q(comment__in=[c.pk for c in person.comments])
    if person.keep.replied_comments:
        theirs &= ~Q(comment__replies__isnull=False)
    return CommentReport.objects.filter(Q(user__in=person.users) | theirs)


def _export_reports(person: Person) -> list:
    return list(
        CommentReport.objects.filter(user__in=person.users).values(
            "comment_id", "reason", "note", "created_at", "outcome"
        )
    )


def _erase_reports(person: Person) -> int:
    return _reports_of(person).delete()[0]


def _email_changes(person: Person):
    """Their accounts' requests for a new address, and requests to move an account to theirs."""
    return EmailChange.objects.filter(Q(user__in=person.users) | Q(new_email__iexact=person.email))


def _export_email_changes(person: Person) -> list:
    return list(_email_changes(person).values("new_email", "requested_at"))


def _erase_email_changes(person: Person) -> int:
    return _email_changes(person).delete()[0]


# --- Downloads, subscriptions, the spam defence's memory ------------------------------------


def _export_downloads(person: Person) -> list:
    return list(
        DownloadRequest.objects.filter(email__iexact=person.email).values(
            "resource__title", "requested_at", "confirmed_at", "consent_text"
        )
    )


def _erase_downloads(person: Person) -> int:
    return DownloadRequest.objects.filter(email__iexact=person.email).delete()[0]


def _subscriptions(person: Person):
    return Subscription.objects.filter(email__iexact=person.email)


def _export_subscriptions(person: Person) -> list:
    return [
        {
            "frequency": subscription.frequency,
            "categories": [category.name for category in subscription.categories.all()],
            "asked": subscription.created_at,
            "confirmed": subscription.confirmed_at,
            "consent_text": subscription.consent_text,
        }
        for subscription in _subscriptions(person).prefetch_related("categories")
    ]


def _erase_subscriptions(person: Person) -> int:
    subscriptions = list(_subscriptions(person))
    for subscription in subscriptions:
        subscriptions_services.unsubscribe(subscription)
    return len(subscriptions)


def _spam_sources(person: Person):
    return SpamSource.objects.filter(email__iexact=person.email)


def _export_spam_sources(person: Person) -> list:
    return list(_spam_sources(person).values("email", "ip", "created_at"))


def _erase_spam_sources(person: Person) -> int:
    return _spam_sources(person).delete()[0]


# --- Admin history, emails, background tasks ------------------------------------------------


def _log_entries(person: Person):
    about_theirs = Q(pk__in=[])
    for content_type, ids in person.logged_objects:
        about_theirs |= Q(content_type=content_type, object_id__in=ids)
    naming_them = Q(object_repr__icontains=person.email) | Q(change_message__icontains=person.email)
    return LogEntry.objects.filter(about_theirs | naming_them)


def _export_log_entries(person: Person) -> list:
    return list(_log_entries(person).values("action_time", "object_repr", "action_flag"))


def _erase_log_entries(person: Person) -> int:
    return _log_entries(person).delete()[0]


def _emails(person: Person):
    """Emails to them (queued, failed, or kept a few days after delivery), and emails naming
    them (the coach's notices, others' reply notifications): another person of the same name
    may lose a copy of an email already delivered, which is the smaller harm."""
    naming = Q(to__icontains=person.email) | Q(body__icontains=person.email)
    for name in person.names:
        naming |= Q(body__icontains=name)
    return OutgoingEmail.objects.filter(naming)


def _export_emails(person: Person) -> list:
    return list(_emails(person).values("subject", "status", "created_at", "sent_at"))


def _erase_emails(person: Person) -> int:
    return _emails(person).delete()[0]


def _tasks(person: Person):
    """Background tasks whose arguments carry their address (e.g. reports to Akismet)."""
    return DBTaskResult.objects.filter(args_kwargs__icontains=person.email)


def _export_tasks(person: Person) -> list:
    return list(_tasks(person).values("task_path", "status", "enqueued_at"))


def _erase_tasks(person: Person) -> int:
    return _tasks(person).delete()[0]


# In erase order: a person's objects are listed (Person) before anything is deleted, log
# entries go with the objects they name, accounts last (sessions are found by account).
HOLDERS = [
    Holder("comment reports", _export_reports, _erase_reports),
    Holder("comments", _export_comments, _erase_comments),
    Holder("questions", _export_questions, _erase_questions),
    Holder("download requests", _export_downloads, _erase_downloads),
    Holder("subscriptions", _export_subscriptions, _erase_subscriptions),
    Holder("spam sender records", _export_spam_sources, _erase_spam_sources),
    Holder("admin log entries", _export_log_entries, _erase_log_entries),
    Holder("emails", _export_emails, _erase_emails),
    Holder("background tasks", _export_tasks, _erase_tasks),
    Holder("email changes", _export_email_changes, _erase_email_changes),
    Holder("login history", _export_logins, _erase_logins),
    Holder("sessions", _export_sessions, _erase_sessions),
    Holder("accounts", _export_accounts, _erase_accounts),
]


def export_person(email: str) -> str:
    """Everything the site keeps about one email address, as JSON."""
    person = Person(email)
    data = {"email": person.email, "exported_at": timezone.now()}
    data |= {holder.name.replace(" ", "_"): holder.export(person) for holder in HOLDERS}
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


@transaction.atomic
def erase_person(email: str, *, keep: Keep | None = None) -> dict[str, int]:
    """Delete everything kept about one email address, but what `keep` says; how many of each
    were erased (or anonymised, for what is kept)."""
    person = Person(email, keep)
    person.logged_objects, person.names  # noqa: B018 (found before their objects are deleted)
    return {holder.name: holder.erase(person) for holder in HOLDERS}


class AccountDeletionRefused(Exception):
    """Staff accounts are deleted by a superuser in the admin, not from the profile."""


def delete_account(*, user: User, keep_public_questions: bool) -> dict[str, int]:
    """A reader deletes their account: the privacy erase of their address, keeping the
    comments others replied to (as "a former reader") and, if they chose so, the published
    version of their questions (anonymised). Their sessions end with it.

    The address must be confirmed: the erase reaches what was sent from the address (guest
    comments, questions), which an unconfirmed account has not shown to be its own.
    """
    if user.is_staff or user.is_superuser or not user.has_confirmed_email:
        raise AccountDeletionRefused
    keep = Keep(replied_comments=True, public_questions=keep_public_questions)
    return erase_person(user.email, keep=keep)


# --- Retention of traces --------------------------------------------------------------------

# The models storing the address and browser a submission came from. Download requests store
# neither (their rate limit counts in the cache for an hour).
TRACED_MODELS = [Comment, Question]


def erase_old_traces(*, days: int | None = None, dry_run: bool = False) -> dict[str, int]:
    """Erase the IP address and browser of comments and questions older than `days`
    (TRACE_RETENTION_DAYS), and the digests of guest reporters' addresses; the records of spam
    senders past SPAM_HISTORY_DAYS; how many of each. Meant to run daily.

    Newer ones keep theirs: the spam defence and the moderators' same-address queue read them.
    """
    days = settings.TRACE_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    erased = {}
    for model in TRACED_MODELS:
        # Both are read from the same request; the address alone is looked at because a
        # question's are encrypted, and encrypted columns can only be tested for NULL.
        traced = model.objects.filter(created_at__lt=cutoff, ip_address__isnull=False)
        count = traced.count() if dry_run else traced.update(ip_address=None, user_agent="")
        erased[str(model._meta.verbose_name_plural)] = count
    # A guest reporter is a digest of their address: after the same period, they could report
    # the comment again.
    guest_reports = CommentReport.objects.filter(created_at__lt=cutoff).exclude(guest_key="")
    count = guest_reports.count() if dry_run else guest_reports.update(guest_key="")
    erased["guest reporters of comments"] = count
    # Who sent spam counts for SPAM_HISTORY_DAYS (the defence's history layer), then goes.
    spam_cutoff = timezone.now() - timedelta(days=settings.SPAM_HISTORY_DAYS)
    old_senders = SpamSource.objects.filter(created_at__lt=spam_cutoff)
    erased["spam sender records"] = old_senders.count() if dry_run else old_senders.delete()[0]
    return erased
