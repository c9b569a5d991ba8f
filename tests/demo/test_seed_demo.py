from io import StringIO

import pytest
from django.core.management import call_command

from painrelief.accounts.models import User
from painrelief.demo import users

pytestmark = pytest.mark.django_db


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_the_coach_the_moderator_and_readers_and_prints_their_logins():
    output = seed()

    coach = User.objects.get(email=users.COACH.email)
    moderator = User.objects.get(email=users.MODERATOR.email)
    assert coach.is_coach and coach.is_staff and coach.check_password(users.COACH.password)
    assert moderator.is_moderator and not moderator.is_coach and moderator.is_staff
    readers = User.objects.filter(is_staff=False)
    assert readers.count() == len(users.ACCOUNTS) - 2
    for login in (users.COACH, users.MODERATOR, users.READER):
        assert login.email in output and login.password in output


def test_running_seed_demo_twice_duplicates_nothing():
    seed()
    before = User.objects.count()

    output = seed("--articles", "3", "--questions", "2")

    assert User.objects.count() == before
    assert "0 created" in output


def test_options_not_yet_honoured_say_so():
    output = seed("--articles", "500")

    assert "--articles=500: the articles app has no demo content yet" in output
