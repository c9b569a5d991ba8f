"""A reader subscribes from the foot of an article, confirms by email, gets the next article,
and stops the emails with one click (issue 15, item 3)."""

import re

import pytest
from playwright.sync_api import expect

from painrelief.subscriptions import services
from painrelief.subscriptions.models import Subscription
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def link(message, name):
    return re.search(rf"https?://\S+(/subscribe/{name}/[\w-]+/)", message.body).group(1)


def test_subscribe_confirm_receive_and_unsubscribe(page, mailoutbox, settings):
    settings.SPAM_MIN_SECONDS = 0
    article = ArticleFactory(title="Knots between the shoulder blades")
    services.announce_new_articles()  # the articles already public are not sent to newcomers

    page.goto(article.get_absolute_url())
    box = page.locator(".article-subscribe")
    box.get_by_label("Your email").fill("ana@example.org")
    box.get_by_role("checkbox").check()
    box.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    (confirmation,) = mailoutbox
    page.goto(link(confirmation, "confirm"))
    page.get_by_role("button", name="Yes, email me new articles").click()
    expect(page.get_by_text("Thank you: new articles will come to your inbox.")).to_be_visible()
    page.get_by_label("A weekly summary").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Your choices are saved.")).to_be_visible()
    page.get_by_label("An email for each new article").check()
    page.get_by_role("button", name="Save my choices").click()

    ArticleFactory(title="Why the neck stiffens at night")
    services.announce_new_articles()
    news = mailoutbox[-1]
    assert news.subject == "Why the neck stiffens at night"
    assert news.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    page.goto(link(news, "unsubscribe"))
    page.get_by_role("button", name="Stop the emails").click()
    expect(page.get_by_role("heading", name="No more emails")).to_be_visible()
    assert not Subscription.objects.exists()
