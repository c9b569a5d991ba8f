"""The asker's private link: a signed token naming the question, valid for a while.

It is the only key a guest asker has to their case and the coach's answer. It sits in a URL
path (kept by browsers' histories and servers' logs), so it works for
QUESTIONS_LINK_MAX_AGE_DAYS only; every email carries a fresh one, and an expired link can
ask for a new one, which goes to the question's address only.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from painrelief.site import absolute_url

from .models import Question

PRIVATE_SALT = "questions.private"


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
    if not isinstance(data, dict):  # signed by us, but not a private link
        return None, "invalid"
    question = Question.objects.filter(pk=data.get("q"), public_key=data.get("k")).first()
    return question, "" if question else "invalid"


def question_of_expired_token(token: str) -> Question | None:
    """The question an expired (but genuine) private link was made for, to send a new one."""
    try:
        data = signing.loads(token, salt=PRIVATE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return Question.objects.filter(pk=data.get("q"), public_key=data.get("k")).first()


def private_path(question: Question) -> str:
    return reverse("questions:private", kwargs={"token": private_token(question)})


def private_url(question: Question) -> str:
    """The asker's private link, as emails carry it."""
    return absolute_url(private_path(question))
