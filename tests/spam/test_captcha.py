"""reCAPTCHA, when keys are set: a signal for the spam defence on every public form.

Google's server is replaced at django-recaptcha's seam (its client's submit); everything
around it runs: the field, the form, the defence, the view.
"""

from unittest import mock
from urllib.error import URLError

import pytest
from django.urls import reverse
from django_recaptcha.client import RecaptchaResponse

from painrelief.accounts.models import User
from painrelief.comments.models import Comment, CommentReport
from tests.comments.conftest import form_stamp
from tests.factories import PASSWORD, ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

COMMENT = {
    "body": "The heat pack helped my neck more than the stretches did.",
    "name": "Ruth",
    "email": "ruth@example.org",
    "form_stamp": form_stamp(),
}

FORM = {
    "email": "ruth@example.org",
    "display_name": "Ruth",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "g-recaptcha-response": "token-from-the-widget",
    "form_stamp": form_stamp(),
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


def test_an_unticked_checkbox_is_a_form_error_with_everything_kept(client):
    with google_says(return_value=RecaptchaResponse(is_valid=False, error_codes=["bad"])):
        response = client.post(reverse("accounts:signup"), FORM)

    assert response.status_code == 200
    assert "did not pass; please tick it again" in response.text
    assert 'value="ruth@example.org"' in response.text
    assert not User.objects.exists()


def test_google_unreachable_loses_no_sign_up_and_records_why(client):
    with google_says(side_effect=URLError("no network")):
        response = client.post(reverse("accounts:signup"), FORM)

    assert response.status_code == 302
    user = User.objects.get(email="ruth@example.org")
    assert user.signup_verdict == "hold"
    assert "captcha-unavailable" in {reason["code"] for reason in user.signup_reasons}


def test_google_unreachable_holds_a_comment_instead_of_losing_it(client, settings):
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = False
    article = ArticleFactory()
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})

    with google_says(side_effect=URLError("no network")):
        response = client.post(url, {**COMMENT, "g-recaptcha-response": "token"})

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert "captcha-unavailable" in comment.reason_codes


@pytest.mark.parametrize(("score", "status"), [(0.9, "approved"), (0.1, "pending")])
def test_a_v3_score_below_the_threshold_holds_the_comment(client, settings, score, status):
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = False
    settings.RECAPTCHA_VERSION = "v3"
    article = ArticleFactory()
    url = reverse("comments:post", kwargs={"label": "articles.article", "pk": article.pk})
    answer = RecaptchaResponse(is_valid=True, extra_data={"score": score, "action": "submit"})

    with google_says(return_value=answer):
        client.post(url, {**COMMENT, "captcha": "token"})  # v3's field has the form's name

    comment = Comment.objects.get()
    assert comment.status == status, comment.reasons


def test_without_keys_there_is_no_widget_and_no_call_to_google(client, settings):
    settings.RECAPTCHA_ENABLED = False

    with google_says() as submit:
        html = client.get(reverse("accounts:signup")).text
        client.post(reverse("accounts:signup"), FORM)

    assert "g-recaptcha" not in html and "recaptcha/api.js" not in html
    submit.assert_not_called()
    assert User.objects.filter(email="ruth@example.org").exists()


def test_the_v3_widget_loads_only_googles_script_and_ours(client, settings):
    settings.RECAPTCHA_VERSION = "v3"

    html = client.get(reverse("accounts:signup")).text

    assert '<script src="https://www.google.com/recaptcha/api.js?render=site-key"' in html
    assert "js/recaptcha-v3.js" in html and 'class="recaptcha-v3"' in html
    assert "<script>" not in html


def report_a_comment(client, settings):
    settings.COMMENT_REPORTS_TO_HIDE = 1
    url = reverse("comments:report", args=[CommentFactory().pk])
    data = {"reason": "spam", "form_stamp": form_stamp(), "g-recaptcha-response": "token"}
    return url, data


def test_the_report_form_has_the_widget_and_a_solved_captcha_counts(client, settings):
    url, data = report_a_comment(client, settings)
    assert 'class="g-recaptcha"' in client.get(url).text

    with google_says(return_value=RecaptchaResponse(is_valid=True)):
        assert client.post(url, data).status_code == 302

    assert CommentReport.objects.get().counts
    assert Comment.objects.get().status == Comment.Status.PENDING  # hidden: the threshold is 1


def test_an_unticked_checkbox_on_the_report_form_is_a_form_error(client, settings):
    url, data = report_a_comment(client, settings)

    with google_says(return_value=RecaptchaResponse(is_valid=False, error_codes=["bad"])):
        response = client.post(url, data)

    assert response.status_code == 400 and "did not pass; please tick it again" in response.text
    assert not CommentReport.objects.exists()


def test_google_unreachable_keeps_a_report_that_does_not_count(client, settings):
    url, data = report_a_comment(client, settings)

    with google_says(side_effect=URLError("no network")):
        assert client.post(url, data).status_code == 302

    report = CommentReport.objects.get()
    assert not report.counts and "captcha-unavailable" in report.held_because
    assert Comment.objects.get().status == Comment.Status.APPROVED
