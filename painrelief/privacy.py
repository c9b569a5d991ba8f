"""Privacy requests: everything the site keeps about one email address, exported or erased.

It reaches into every app that keeps personal data (accounts, comments, questions,
downloads), so it lives above them all.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from painrelief.accounts.models import User
from painrelief.accounts.services import set_avatar
from painrelief.comments.models import Comment
from painrelief.comments.services import delete_own_comment
from painrelief.downloads.models import DownloadRequest
from painrelief.mail.models import OutgoingEmail
from questions import services as questions_services
from questions.models import Question


def export_person(email: str) -> str:
    """Everything the site keeps about one email address, as JSON."""
    email_lower = email.strip().lower()
    users = User.objects.filter(email__iexact=email_lower)
    questions = Question.objects.with_email(email_lower)
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
    email_lower = email.strip().lower()
    users = list(User.objects.filter(email__iexact=email_lower))
    questions = list(Question.objects.with_email(email_lower))
    for question in questions:
        questions_services.delete_question(question=question)
    comments = list(
        Comment.objects.annotate(e=Lower("email")).filter(e=email_lower)
        | Comment.objects.filter(user__in=users)
    )
    for comment in comments:
        delete_own_comment(comment=comment)
    downloads, _ = DownloadRequest.objects.filter(email__iexact=email_lower).delete()
    # Emails written to them (kept a few days after delivery) carry their private links.
    OutgoingEmail.objects.filter(to__icontains=email_lower).delete()
    for user in users:
        set_avatar(user=user, avatar=None)  # its files are public at their address until deleted
        user.delete()
    return {
        "questions": len(questions),
        "comments": len(comments),
        "download requests": downloads,
        "accounts": len(users),
    }
