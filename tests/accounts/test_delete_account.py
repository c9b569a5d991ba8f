"""Delete my account: the privacy erase of the reader's address, with their choices."""

import pytest
from axes.models import AccessLog
from django.test import Client
from django.urls import reverse

from painrelief.accounts import services
from painrelief.accounts.models import User
from painrelief.comments.models import Comment
from questions.models import Question
from tests.factories import PASSWORD, ArticleFactory, CommentFactory, QuestionFactory, UserFactory
from tests.factories import coach as make_coach

pytestmark = pytest.mark.django_db

EMAIL = "ruth@example.org"


@pytest.fixture
def ruth():
    return UserFactory(email=EMAIL, display_name="Ruth Lindqvist")


def signed_in(user) -> Client:
    client = Client()
    assert (
        client.post(
            reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
        ).status_code
        == 302
    )
    return client


def delete(client, questions="keep-public", password=PASSWORD, capture=None):
    data = {"questions": questions, "password": password}
    if capture is None:
        return client.post(reverse("accounts:delete"), data)
    with capture(execute=True):
        return client.post(reverse("accounts:delete"), data)


def test_the_account_is_gone_and_its_owner_signed_out_everywhere(ruth):
    browser, phone = signed_in(ruth), signed_in(ruth)

    response = delete(browser)

    assert response.status_code == 302 and response.url == reverse("accounts:deleted")
    assert not User.objects.filter(pk=ruth.pk).exists()
    assert "_auth_user_id" not in browser.session
    for client in (browser, phone):
        profile = client.get(reverse("accounts:profile"))
        assert profile.status_code == 302 and profile.url.startswith(reverse("accounts:login"))
    assert (
        Client()
        .post(reverse("accounts:login"), {"username": EMAIL, "password": PASSWORD})
        .status_code
        == 200
    )  # no such account any more
    assert "Your account is deleted" in browser.get(response.url).text


def test_comments_with_replies_stay_as_a_former_readers_the_others_go(ruth):
    article = ArticleFactory()
    answered = CommentFactory(
        target=article,
        user=ruth,
        name=ruth.display_name,
        email="",
        body="Does heat help hips?",
        ip_address="203.0.113.7",
        user_agent="RuthBrowser/1",
        website="",
    )
    reply = CommentFactory(parent=answered, body="Yes, it helps hips too.")
    CommentFactory(target=article, user=ruth, name=ruth.display_name, email="", body="Lonely one.")
    # Her own reply to her own comment: nobody else answered, so both go.
    own = CommentFactory(target=article, user=ruth, name=ruth.display_name, email="", body="Mine.")
    CommentFactory(parent=own, user=ruth, name=ruth.display_name, email="", body="Mine again.")
    guest = CommentFactory(target=article, email=EMAIL.upper(), name="Ruth L", body="As a guest.")
    CommentFactory(parent=guest, body="Welcome!")

    delete(signed_in(ruth))

    kept = Comment.objects.get(pk=answered.pk)
    assert (kept.name, kept.user, kept.email, kept.website) == ("a former reader", None, "", "")
    assert (kept.ip_address, kept.user_agent, kept.body) == (None, "", "Does heat help hips?")
    assert kept.status == "approved" and "hips" not in str(kept.reasons)
    assert Comment.objects.get(pk=guest.pk).name == "a former reader"  # sent from her address
    assert set(Comment.objects.values_list("body", flat=True)) == {
        "Does heat help hips?",
        "Yes, it helps hips too.",
        "As a guest.",
        "Welcome!",
    }
    page = Client().get(article.get_absolute_url()).text
    assert "a former reader" in page and "Ruth" not in page
    assert reply.body in page


def test_the_article_page_cached_before_shows_the_change(ruth):
    """Comments change state through their service, which invalidates the page cache."""
    article = ArticleFactory()
    answered = CommentFactory(target=article, user=ruth, name=ruth.display_name, email="")
    CommentFactory(parent=answered, body="Yes, it helps hips too.")
    assert "Ruth Lindqvist" in Client().get(article.get_absolute_url()).text

    delete(signed_in(ruth))

    assert "Ruth Lindqvist" not in Client().get(article.get_absolute_url()).text


def test_kept_questions_stay_public_without_anything_private(ruth):
    public = QuestionFactory(
        public=True,
        user=ruth,
        email=EMAIL,
        name="Ruth L",
        publication="named",
        body="My private case with my employer's name.",
        public_body="A reader has had a stiff neck for weeks.",
        internal_notes="Call her back.",
        ip_address="203.0.113.7",
        user_agent="RuthBrowser/1",
        red_flags=["Numbness"],
    )
    private = QuestionFactory(user=ruth, email=EMAIL, status="answered", answer="Private answer")

    delete(signed_in(ruth), questions="keep-public")

    assert not Question.objects.filter(pk=private.pk).exists()
    kept = Question.objects.get(pk=public.pk)
    assert kept.is_public and kept.publication == "anonymous"
    assert (kept.body, kept.name, kept.email, kept.internal_notes) == ("", "", "", "")
    assert (kept.user, kept.ip_address, kept.user_agent, kept.red_flags) == (None, None, "", [])
    assert kept.title == kept.public_title
    page = Client().get(kept.get_absolute_url())
    assert page.status_code == 200
    assert public.public_body in page.text and "Ruth" not in page.text


def test_questions_deleted_entirely_when_the_reader_chooses_so(ruth):
    public = QuestionFactory(public=True, user=ruth, email=EMAIL)
    url = public.get_absolute_url()
    CommentFactory(target=public, body="Thanks for asking.")

    delete(signed_in(ruth), questions="delete")

    assert not Question.objects.exists()
    assert not Comment.objects.exists()
    assert Client().get(url).status_code == 404


def test_a_wrong_password_is_refused_and_nothing_is_deleted(ruth):
    comment = CommentFactory(user=ruth, name=ruth.display_name, email="")
    question = QuestionFactory(public=True, user=ruth, email=EMAIL)
    client = signed_in(ruth)

    response = delete(client, password="not-my-password")

    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert User.objects.filter(pk=ruth.pk).exists()
    assert Comment.objects.get(pk=comment.pk).name == ruth.display_name
    assert Question.objects.get(pk=question.pk).body
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_an_unconfirmed_account_is_asked_to_confirm_first():
    """The erase reaches what was sent from the address, which it has not shown is its own."""
    unconfirmed = UserFactory(email=EMAIL, email_confirmed_at=None)
    someone_elses = QuestionFactory(email=EMAIL)

    response = delete(signed_in(unconfirmed))

    assert response.status_code == 200
    assert "confirm your address first" in response.text
    assert User.objects.filter(pk=unconfirmed.pk).exists()
    assert Question.objects.filter(pk=someone_elses.pk).exists()


def test_staff_accounts_are_deleted_by_an_administrator_not_from_the_profile():
    staff = make_coach(email="elena.coach@example.org")
    client = signed_in(staff)

    page = client.get(reverse("accounts:delete"))
    refused = delete(client)

    assert page.status_code == 200 and "deleted by an administrator" in page.text
    assert "<form" not in page.text.split("<main", 1)[1].split("</main>")[0]
    assert refused.status_code == 403
    assert User.objects.filter(pk=staff.pk).exists()


def test_the_page_explains_and_keeps_published_questions_by_default(ruth):
    page = signed_in(ruth).get(reverse("accounts:delete"))

    assert page.status_code == 200
    assert page.context["form"]["questions"].initial == "keep-public"
    assert "a former reader" in page.text
    assert 'name="csrfmiddlewaretoken"' in page.text


def test_the_form_needs_its_csrf_token(ruth):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ruth)

    response = delete(client)

    assert response.status_code == 403
    assert User.objects.filter(pk=ruth.pk).exists()


def test_after_an_email_change_the_deletion_reaches_what_the_old_address_left(ruth):
    """Questions asked from the account, and its sign-in history, under its former address."""
    old_question = QuestionFactory(user=ruth, email=EMAIL)
    browser = signed_in(ruth)
    change = services.request_email_change(user=ruth, new_email="ruth.new@example.net")
    services.confirm_email_change(change=change)
    ruth.refresh_from_db()

    delete(signed_in(ruth))

    assert not Question.objects.filter(pk=old_question.pk).exists()
    assert not AccessLog.objects.filter(username__icontains="ruth").exists()
    assert browser.get(reverse("accounts:profile")).status_code == 302
