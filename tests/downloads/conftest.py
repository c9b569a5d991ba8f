import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from painrelief.downloads.models import Resource

PDF = b"%PDF-1.4 the 10-minute knot release routine"


def make_resource(access=Resource.Access.EMAIL) -> Resource:
    resource = Resource(title="The 10-minute knot release routine", access=access)
    resource.file.save("knot-routine.pdf", ContentFile(PDF), save=True)
    return resource


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """Post a report's download form as the client's visitor; the email is sent after commit."""

    def post(resource, **data):
        url = reverse("downloads:resource", kwargs={"pk": resource.pk})
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post
