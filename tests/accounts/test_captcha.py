"""Sign-up with reCAPTCHA keys set; Google's server is replaced at django-recaptcha's seam."""

from unittest import mock
from urllib.error import URLError

import pytest
from django.urls import reverse
from django_recaptcha.client import RecaptchaResponse

from painrelief.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

FORM = {
    "email": "ruth@example.org",
    "display_name": "Ruth",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "g-recaptcha-response": "token-from-the-widget",
}


@pytest.fixture(autouse=True)
def recaptcha_keys(settings):
    settings.RECAPTCHA_PUBLIC_KEY = "site-key"
    settings.RECAPTCHA_PRIVATE_KEY = "secret-key"
    settings.RECAPTCHA_ENABLED = True
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_recaptcha"]


def google_says(**kwargs):
    return mock.patch("django_recaptcha.fields.client.submit", **kwargs)


def test_the_widget_shows_with_no_inline_script(client):
    html = client.get(reverse("accounts:signup")).text

    assert 'class="g-recaptcha"' in html and 'data-sitekey="site-key"' in html
    assert '<script src="https://www.google.com/recaptcha/api.js"' in html
    assert "<script>" not in html and "data-callback" not in html


def test_a_solved_captcha_creates_the_account(client):
    with google_says(return_value=RecaptchaResponse(is_valid=True)):
        response = client.post(reverse("accounts:signup"), FORM)

    assert response.status_code == 302
    assert User.objects.filter(email="ruth@example.org").exists()


def test_a_failed_captcha_is_refused_with_the_text_kept(client):
    with google_says(return_value=RecaptchaResponse(is_valid=False, error_codes=["bad"])):
        response = client.post(reverse("accounts:signup"), FORM)

    assert response.status_code == 200
    assert "Error verifying reCAPTCHA" in response.text
    assert 'value="ruth@example.org"' in response.text
    assert not User.objects.exists()


def test_google_unreachable_gives_a_form_error_not_a_server_error(client):
    with google_says(side_effect=URLError("no network")):
        response = client.post(reverse("accounts:signup"), FORM)

    assert response.status_code == 200
    assert "We could not reach the anti-spam check just now" in response.text
    assert 'value="ruth@example.org"' in response.text and 'value="Ruth"' in response.text
    assert not User.objects.exists()
