"""Subscriptions to new articles: double opt-in, choices, one-click unsubscribe, announcing
new articles in batches and weekly summaries (issue 15, item 3)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrelief.subscriptions import emails, services
from painrelief.subscriptions.models import Announcement, Subscription
from tests.comments.conftest import form_stamp
from tests.factories import ArticleFactory, CategoryFactory, coach, moderator

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("subscriptions:subscribe")


@pytest.fixture
def subscribe(client, django_capture_on_commit_callbacks):
    def post(**data):
        data = {"email": "ana@example.org", "consent": "on", "form_stamp": form_stamp(), **data}
        prefixed = {f"subscribe-{name}": value for name, value in data.items()}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SUBSCRIBE, prefixed)

    return post


def link_in(message, name):
    return re.search(rf"https?://\S+/subscribe/{name}/[\w-]+/", message.body).group(0)


def confirmed(email, **fields):
    return Subscription.objects.create(
        email=email, consent_text="I agree.", confirmed_at=timezone.now(), **fields
    )


def announce(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.announce_new_articles()


def test_subscribing_emails_a_confirmation_link_that_asks_for_a_click(subscribe, client):
    response = subscribe()

    subscription = Subscription.objects.get()
    assert response.status_code == 200 and "Check your inbox" in response.text
    assert subscription.confirmed_at is None
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"] and "Confirm your subscription" in message.subject
    assert "ana@example.org" not in link_in(message, "confirm")  # an opaque key only

    client.get(link_in(message, "confirm"))  # a mail scanner opening the link
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None

    client.post(link_in(message, "confirm"))
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_the_answer_never_tells_whether_an_address_subscribes(subscribe):
    confirmed("ana@example.org")

    response = subscribe(email="Ana@Example.org")

    assert "Check your inbox" in response.text
    assert Subscription.objects.count() == 1
    (message,) = mail.outbox
    assert "already subscribed" in message.body and "/subscribe/manage/" in message.body


@pytest.mark.parametrize("stamp", ["", "forged"])
def test_a_robot_without_the_forms_stamp_gets_the_same_page_and_nothing_is_kept(subscribe, stamp):
    response = subscribe(form_stamp=stamp)

    assert "Check your inbox" in response.text
    assert not Subscription.objects.exists() and not mail.outbox


def test_a_form_error_keeps_the_address(subscribe):
    response = subscribe(consent="")

    assert response.status_code == 400
    assert "Please tick the box so we may email you." in response.text
    assert 'value="ana@example.org"' in response.text


def test_a_new_article_goes_once_to_the_confirmed_subscribers_who_want_it(
    django_capture_on_commit_callbacks,
):
    back = CategoryFactory(name="Back pain")
    lower = CategoryFactory(name="Lower back", parent=back)
    neck = CategoryFactory(name="Neck")
    confirmed("all@example.org")
    confirmed("back@example.org").categories.set([back])
    confirmed("neck@example.org").categories.set([neck])
    confirmed("weekly@example.org", frequency="weekly")
    Subscription.objects.create(email="unconfirmed@example.org", consent_text="I agree.")
    article = ArticleFactory(title="Sciatica at night", category=lower)

    assert announce(django_capture_on_commit_callbacks) == [article.pk]
    assert announce(django_capture_on_commit_callbacks) == []  # announced once

    assert sorted(m.to[0] for m in mail.outbox) == ["all@example.org", "back@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Sciatica at night"
    unsubscribe = re.search(r"<(\S+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert "/subscribe/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert article.get_absolute_url() in message.body


def test_drafts_and_scheduled_articles_wait_until_they_are_public(
    django_capture_on_commit_callbacks,
):
    confirmed("all@example.org")
    draft = ArticleFactory(status="draft", published_at=None)
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(hours=2))

    assert announce(django_capture_on_commit_callbacks) == []
    scheduled.published_at = timezone.now() - timedelta(minutes=1)
    scheduled.save()
    assert announce(django_capture_on_commit_callbacks) == [scheduled.pk]
    assert not Announcement.objects.filter(article=draft).exists()


def test_many_subscribers_are_emailed_in_batches_each_once(
    django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(emails, "BATCH_SIZE", 2)
    for n in range(5):
        confirmed(f"reader{n}@example.org")
    ArticleFactory()

    announce(django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == [f"reader{n}@example.org" for n in range(5)]


def test_the_weekly_summary_lists_the_weeks_articles_in_the_chosen_topics():
    back, neck = CategoryFactory(name="Back"), CategoryFactory(name="Neck")
    subscription = confirmed("weekly@example.org", frequency="weekly")
    subscription.categories.set([back])
    Subscription.objects.filter(pk=subscription.pk).update(
        confirmed_at=timezone.now() - timedelta(days=8)
    )
    ArticleFactory(title="Back one", category=back)
    ArticleFactory(title="Neck one", category=neck)

    emails.send_weekly_summaries.enqueue()
    emails.send_weekly_summaries.enqueue()  # within the week: nothing more

    (message,) = mail.outbox
    assert "Back one" in message.body and "Neck one" not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_click_unsubscribe_needs_no_csrf_token_and_deletes_the_address():
    subscription = confirmed("ana@example.org")
    url = reverse("subscriptions:unsubscribe", kwargs={"key": subscription.key})
    mail_program = Client(enforce_csrf_checks=True)

    assert mail_program.get(url).status_code == 200  # a browser is asked first
    assert Subscription.objects.exists()
    response = mail_program.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_the_emailed_link_changes_topics_and_frequency(client):
    neck = CategoryFactory(name="Neck")
    subscription = confirmed("ana@example.org")
    url = reverse("subscriptions:manage", kwargs={"key": subscription.key})

    response = client.post(url, {"categories": [neck.pk], "frequency": "weekly"}, follow=True)

    subscription.refresh_from_db()
    assert "Your choices are saved." in response.text
    assert subscription.frequency == "weekly" and list(subscription.categories.all()) == [neck]


def test_a_wrong_key_is_a_link_that_does_not_work(client):
    url = reverse("subscriptions:manage", kwargs={"key": "not-a-key"})

    response = client.get(url)

    assert response.status_code == 404 and "This link does not work" in response.text


def test_pages_carry_the_short_form_with_the_spam_defences_fields(client):
    article = ArticleFactory()

    html = client.get(article.get_absolute_url()).text

    assert html.count("Get new articles by email") == 2  # the article's end and the footer
    assert html.count('name="subscribe-form_stamp"') == 2
    assert 'id="footer-subscribe-email"' in html and 'id="article-subscribe-email"' in html


def test_the_short_form_subscribes_to_every_article(subscribe):
    subscribe(frequency="")

    assert Subscription.objects.get().frequency == Subscription.Frequency.EACH


def test_the_coach_sees_the_counts_and_moderators_nothing(client):
    confirmed("a@example.org")
    confirmed("b@example.org", frequency="weekly")
    Subscription.objects.create(email="c@example.org", consent_text="I agree.")
    changelist = reverse("admin:subscriptions_subscription_changelist")

    client.force_login(coach())
    html = client.get(changelist).text
    client.force_login(moderator())

    assert "2 confirmed subscribers (1 weekly), 1 waiting for confirmation." in html
    assert client.get(changelist).status_code == 403
