"""Guests comment from the cached copy of a page, which carries no token, stamp or cookie: the
browser fetches its own after loading, and without JavaScript a link leads to a form page."""

import pytest
from playwright.sync_api import expect

from painrelief.comments.models import Comment
from tests.browser.test_comment_journey import (
    GUEST,
    HELD,
    comment_by,
    expect_back_at_comment,
    fill_guest_form,
    label,
    thread_of,
)
from tests.factories import ArticleFactory, CommentFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BODY = "Heat before the stretches helped my neck, thank you for this article."
REPLY = "Same for me: ten minutes of heat, then the stretches, every morning."


def cached_copy(new_page, url):
    """Load `url` as a first visitor does (caching it), and return that answer."""
    response = new_page().goto(url)
    assert response.ok and "set-cookie" not in response.headers
    assert "public" in response.headers["cache-control"]
    return response


def test_a_guest_comments_from_the_cached_page(page, new_page):
    article = ArticleFactory()
    cached_copy(new_page, article.get_absolute_url())

    response = page.goto(article.get_absolute_url())
    assert "csrfmiddlewaretoken" not in response.text()  # the cached copy
    expect(page.get_by_role("button", name="Post Comment")).to_be_enabled()
    fill_guest_form(page, BODY)
    page.get_by_role("button", name="Post Comment").click()

    expect_back_at_comment(page, article, BODY, HELD)
    assert Comment.objects.get().status == "pending"


def test_a_guest_replies_from_the_cached_page(page, new_page):
    article = ArticleFactory()
    CommentFactory(target=article, name="Anna", body="Is heat better than ice for a knot?")
    cached_copy(new_page, article.get_absolute_url())

    page.goto(article.get_absolute_url())
    comment_by(page, "Anna").get_by_role("link", name="Reply to Anna").click()
    fill_guest_form(page, REPLY)
    page.get_by_role("button", name="Post Comment").click()

    expect_back_at_comment(page, article, REPLY, HELD)
    expect(thread_of(page, "Anna").locator(".children")).to_contain_text(REPLY)


def test_a_guest_sees_their_held_comment_after_reload_even_from_a_proxys_copy(page, new_page):
    """A shared cache that kept the anonymous copy and ignores Vary: Cookie still shows the
    guest their held reply: the page fetches it with the token."""
    article = ArticleFactory()
    CommentFactory(target=article, name="Anna", body="Is heat better than ice for a knot?")
    shared = cached_copy(new_page, article.get_absolute_url())
    shared_html, shared_headers = shared.text(), shared.headers

    page.goto(article.get_absolute_url())
    comment_by(page, "Anna").get_by_role("link", name="Reply to Anna").click()
    fill_guest_form(page, REPLY)
    page.get_by_role("button", name="Post Comment").click()
    expect_back_at_comment(page, article, REPLY, HELD)

    page.reload()  # from the site: fresh, as the guest's cookie asks
    expect(comment_by(page, GUEST["name"])).to_contain_text("Your comment is awaiting moderation.")

    page.route(
        f"**{article.get_absolute_url()}",
        lambda route: route.fulfill(status=200, headers=shared_headers, body=shared_html),
    )
    page.reload()  # from the "proxy": the anonymous copy
    mine = (
        thread_of(page, "Anna")
        .locator(".children")
        .get_by_role("article", name=f"Comment by {GUEST['name']}")
    )
    expect(mine).to_contain_text(REPLY)
    expect(mine).to_contain_text("Your comment is awaiting moderation.")

    other = new_page()
    other.goto(article.get_absolute_url())
    expect(other.get_by_text(REPLY)).to_have_count(0)


def test_without_javascript_a_guest_comments_from_the_form_page(new_page):
    article = ArticleFactory()
    cached_copy(new_page, article.get_absolute_url())
    guest = new_page(java_script_enabled=False)

    guest.goto(article.get_absolute_url())
    expect(guest.get_by_role("button", name="Post Comment")).to_be_disabled()
    guest.get_by_role("link", name="leave a comment on a page of its own").click()
    guest.get_by_label(label("Comment")).fill(BODY)
    guest.get_by_label(label("Name")).fill(GUEST["name"])
    guest.get_by_label(label("Email")).fill(GUEST["email"])
    guest.get_by_role("button", name="Post Comment").click()

    expect_back_at_comment(guest, article, BODY, HELD)
    expect(comment_by(guest, GUEST["name"])).to_contain_text("Your comment is awaiting moderation.")
