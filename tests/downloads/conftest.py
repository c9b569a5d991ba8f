import time

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.urls import reverse

from painrelief.downloads.models import Resource
from painrelief.spam.forms import STAMP_SALT

PDF = b"%PDF-1.4 the 10-minute knot release routine"


def make_resource(access=Resource.Access.EMAIL) -> Resource:
    resource = Resource(title="The 10-minute knot release routine", access=access)
    resource.file.save("knot-routine.pdf", ContentFile(PDF), save=True)
    return resource


def form_stamp(seconds_ago: float = 40) -> str:
    """The signed "form shown at" value of a form shown `seconds_ago` (a person's pace)."""
    return signing.dumps(time.time() - seconds_ago, salt=STAMP_SALT)


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """Post a report's download form as a person's browser would (with the form's stamp);
    the email is sent after the commit."""

    def post(resource, **data):
        data.setdefault("form_stamp", form_stamp())
        url = reverse("downloads:resource", kwargs={"pk": resource.pk})
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post
