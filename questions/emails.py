"""Emails to askers: a subject and a private link, never the case or the answer."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string

from painrelief.mail import outbox

from .links import private_url
from .models import Question

SUBJECTS = {
    "received": "We received your question",
    "answered": "The coach has answered your question",
    "consent": "Please check the public version of your question",
    "declined": "About your question",
    "new_link": "A new link to your question",
}


@task(takes_context=True)
def send(context, kind: str, question_id: int) -> None:
    """One email to the asker; a question deleted meanwhile gets none.

    The task carries only the question's id: the address and the private link are read when
    the email is sent, so they never wait in a task queue.
    """
    question = Question.objects.filter(pk=question_id).only("pk", "public_key", "email").first()
    if question is None:
        return
    variables = {
        "SITE_NAME": settings.SITE_NAME,
        "private_url": private_url(question),
        "days": settings.QUESTIONS_LINK_MAX_AGE_DAYS,
    }
    body = render_to_string(f"questions/emails/{kind}.txt", variables)
    message = EmailMessage(f"{SUBJECTS[kind]} · {settings.SITE_NAME}", body, to=[question.email])
    outbox.send(message, key=f"{context.task_result.id}:{question.email}")
