import re

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "new-knot-free-password-77"


def request_reset(client, email):
    return client.post(reverse("accounts:password-reset"), {"email": email})


def test_reset_email_carries_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="priya@example.org", display_name="Priya")

    response = request_reset(client, "PRIYA@example.org")

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["priya@example.org"]
    assert "Hello Priya" in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(link, follow=True).context["validlink"] is False


def test_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(client):
    UserFactory(email="priya@example.org")

    response = request_reset(client, "nobody@example.org")

    assert response.status_code == 302
    assert response.url == reverse("accounts:password-reset-done")
    assert mail.outbox == []


def test_a_few_links_per_address_an_hour_then_the_same_page_and_no_email(client):
    UserFactory(email="priya@example.org")
    UserFactory(email="tom@example.org")

    answers = [request_reset(client, "priya@example.org") for _ in range(5)]
    request_reset(client, "tom@example.org")

    assert {a.url for a in answers} == {reverse("accounts:password-reset-done")}
    assert [m.to for m in mail.outbox] == [["priya@example.org"]] * 3 + [["tom@example.org"]]


def test_a_tampered_reset_link_says_it_no_longer_works(client):
    user = UserFactory()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = reverse("accounts:password-reset-confirm", args=[uid, "bad-token"])

    response = client.get(url)

    assert response.status_code == 200
    assert "This link no longer works" in response.text


def test_the_reset_subject_is_plain_text_never_html_escaped():
    subject = render_to_string(
        "registration/password_reset_subject.txt", {"site_name": 'Elena\'s "knots" & co'}
    )

    assert subject.strip() == 'Reset your password on Elena\'s "knots" & co'
