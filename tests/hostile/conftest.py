import pytest
from django.test import Client

from tests.factories import ArticleFactory, coach, moderator
from tests.html import active_content


@pytest.fixture
def staff(db):
    """Admin clients: the coach's, and a moderator's."""
    clients = {}
    for role, user in (
        ("coach", coach(email="elena.coach@example.org")),
        ("moderator", moderator()),
    ):
        clients[role] = Client()
        clients[role].force_login(user)
        clients[role].user = user
    return clients


@pytest.fixture
def article(staff):
    return ArticleFactory(author=staff["coach"].user, title="Knots between the shoulder blades")


def assert_harmless(response, where: str = "") -> str:
    """No server error, and nothing in the page that a browser would run, load or follow and
    that came from input (tests/html.py: active_content). Returns the page's HTML."""
    where = where or response.request["PATH_INFO"]
    assert response.status_code < 500, f"{where}: {response.status_code}"
    html = response.content.decode()
    problems = active_content(html)
    assert not problems, f"{where}:\n" + "\n".join(problems)
    return html
