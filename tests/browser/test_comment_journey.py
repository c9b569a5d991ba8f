"""Readers comment and reply on an article; the coach answers on the site or in the admin."""

import re

import pytest
from playwright.sync_api import expect

from painrelief.comments.models import Comment
from tests.browser.conftest import admin_log_in, assert_accessible, log_in
from tests.factories import ArticleFactory, CommentFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Knots between the shoulder blades"
QUESTION = "My neck is stiff every morning. Does heat help before the stretches?"
ANSWER = "Yes: ten minutes of heat first, then the stretches, and never into sharp pain."
GUEST = {"name": "Tom", "email": "tom@example.net"}
HELD = "Thank you: your comment is awaiting moderation."
PUBLISHED = "Thank you: your comment is published."
PHONE = {"width": 390, "height": 844}


def label(text):
    """A form field's label; crispy forms ends it with "*" when the field is required."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def comment_by(scope, name):
    """The comment written by `name`, as a reader finds it: an article named after its author."""
    return scope.get_by_role("article", name=f"Comment by {name}", exact=True)


def thread_of(scope, name):
    """The list item holding the comment by `name` and, nested under it, its replies."""
    return comment_by(scope, name).locator("xpath=..")


def fill_guest_form(page, body, *, name=GUEST["name"], email=GUEST["email"]):
    page.get_by_label(label("Comment")).fill(body)
    page.get_by_label(label("Name")).fill(name)
    page.get_by_label(label("Email")).fill(email)


def expect_back_at_comment(page, article, body, message):
    """After posting: the article again, at the new comment, under the thank-you message."""
    expect(page.get_by_text(message)).to_be_visible()
    comment = Comment.objects.select_related("user").get(body=body)
    expect(page).to_have_url(f"{article.get_absolute_url()}#comment-{comment.pk}")
    expect(comment_by(page, comment.author_name)).to_be_in_viewport()


def test_a_held_guest_comment_is_published_with_the_coach_answer_from_the_admin(
    page, new_page, mailoutbox
):
    """A first-time guest's comment waits, seen by its author only; the coach's admin answer
    publishes it with the reply, and emails the guest, who can unsubscribe from replies."""
    article = ArticleFactory(title=TITLE)

    page.goto(article.get_absolute_url())
    fill_guest_form(page, QUESTION, name="Maria", email="maria@example.net")
    page.get_by_label("Website").fill("maria.example.net")
    page.get_by_label("Notify me of replies to my comment by email").check()
    page.get_by_role("button", name="Post Comment").click()

    expect_back_at_comment(page, article, QUESTION, HELD)
    mine = comment_by(page, "Maria")
    expect(mine).to_contain_text(QUESTION)
    expect(mine.get_by_text("Your comment is awaiting moderation.")).to_be_visible()
    expect(mine.get_by_role("link", name="Maria", exact=True)).to_have_attribute(
        "href", "https://maria.example.net"
    )

    visitor = new_page()
    visitor.goto(article.get_absolute_url())
    expect(visitor.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    expect(visitor.get_by_text(QUESTION)).to_have_count(0)

    admin = new_page()
    admin_log_in(admin, article.author)
    admin.goto("/admin/comments/comment/")
    admin.get_by_role("link", name=QUESTION).click()
    admin.get_by_label("Answer this comment").fill(ANSWER)
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.get_by_text("Your answer is published")).to_be_visible()

    visitor.reload()
    expect(visitor.get_by_role("heading", name=f"2 thoughts on “{TITLE}”")).to_be_visible()
    question = comment_by(visitor, "Maria")
    expect(question).to_contain_text(QUESTION)
    expect(question.get_by_text("Your comment is awaiting moderation.")).to_have_count(0)
    answer = (
        thread_of(visitor, "Maria")
        .get_by_role("list")
        .get_by_role("article", name="Comment by Coach Elena")
    )
    expect(answer).to_contain_text(ANSWER)
    expect(answer.get_by_text("Coach", exact=True)).to_be_visible()

    to_coach = {m.subject for m in mailoutbox if m.to == [article.author.email]}
    assert to_coach == {f"Comment awaiting moderation on “{TITLE}”"}
    to_maria = {m.subject: m for m in mailoutbox if m.to == ["maria@example.net"]}
    assert set(to_maria) == {  # no receipt while held: a robot could type anyone's address
        f"Your comment on “{TITLE}” is published",
        f"Coach Elena replied to your comment on “{TITLE}”",
    }
    reply_email = to_maria[f"Coach Elena replied to your comment on “{TITLE}”"]
    assert ANSWER in reply_email.body
    unsubscribe = re.search(r"https?://\S+/comments/unsubscribe/\S+/", reply_email.body)
    assert unsubscribe, reply_email.body
    page.goto(unsubscribe.group(0))
    expect(
        page.get_by_role("heading", name="You will get no more emails about replies")
    ).to_be_visible()
    assert not Comment.objects.get(body=QUESTION).notify_replies


def test_the_coach_replies_under_a_comment_with_javascript(page):
    """Reply opens the form under the comment, Cancel reply puts it back; the reply is public."""
    article = ArticleFactory(title=TITLE)
    CommentFactory(target=article, name="Maria", body=QUESTION)
    log_in(page, article.author.email)
    page.goto(article.get_absolute_url())
    thread = thread_of(page, "Maria")

    thread.get_by_role("link", name="Reply to Maria").click()
    expect(thread.get_by_role("heading", name="Reply to Maria")).to_be_visible()
    expect(thread.get_by_label(label("Comment"))).to_be_focused()
    expect(page).to_have_url(article.get_absolute_url())

    thread.get_by_role("link", name="Cancel reply").click()
    expect(page.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    expect(thread.get_by_role("textbox")).to_have_count(0)
    expect(thread.get_by_role("link", name="Reply to Maria")).to_be_focused()

    thread.get_by_role("link", name="Reply to Maria").click()
    thread.get_by_label(label("Comment")).fill(ANSWER)
    thread.get_by_role("button", name="Post Comment").click()

    expect_back_at_comment(page, article, ANSWER, PUBLISHED)
    expect(page.get_by_role("heading", name=f"2 thoughts on “{TITLE}”")).to_be_visible()
    answer = (
        thread_of(page, "Maria")
        .get_by_role("list")
        .get_by_role("article", name="Comment by Coach Elena")
    )
    expect(answer).to_contain_text(ANSWER)
    expect(answer.get_by_text("Coach", exact=True)).to_be_visible()
    expect(answer.get_by_text("Your comment is awaiting moderation.")).to_have_count(0)


def test_a_guest_replies_without_javascript(new_page):
    """The Reply link opens the form at the bottom for that comment; the reply waits, nested."""
    article = ArticleFactory(title=TITLE)
    CommentFactory(target=article, name="Maria", body=QUESTION)
    guest = new_page(java_script_enabled=False)
    guest.goto(article.get_absolute_url())

    thread_of(guest, "Maria").get_by_role("link", name="Reply to Maria").click()
    expect(guest).to_have_url(re.compile(r"\?replytocom=\d+#respond$"))
    form_title = guest.get_by_role("heading", name="Reply to Maria")
    expect(form_title).to_be_in_viewport()
    expect(form_title.get_by_role("link", name="Cancel reply")).to_be_visible()
    expect(thread_of(guest, "Maria").get_by_role("textbox")).to_have_count(0)

    fill_guest_form(guest, "Heat helps me too, before bed.")
    guest.get_by_role("button", name="Post Comment").click()

    expect_back_at_comment(guest, article, "Heat helps me too, before bed.", HELD)
    reply = (
        thread_of(guest, "Maria").get_by_role("list").get_by_role("article", name="Comment by Tom")
    )
    expect(reply).to_contain_text("Heat helps me too, before bed.")
    expect(reply.get_by_text("Your comment is awaiting moderation.")).to_be_visible()
    expect(guest.get_by_role("heading", name=f"One thought on “{TITLE}”")).to_be_visible()


def test_a_form_error_keeps_everything_typed(page):
    """A bad email shows the error with the reply, text and choices kept; correcting posts it."""
    article = ArticleFactory(title=TITLE)
    CommentFactory(target=article, name="Maria", body=QUESTION)
    page.goto(article.get_absolute_url())
    thread_of(page, "Maria").get_by_role("link", name="Reply to Maria").click()
    fill_guest_form(page, "Heat helps me too, before bed.", email="tom.example.net")
    page.get_by_label("Notify me of replies to my comment by email").check()
    page.get_by_role("button", name="Post Comment").click()

    expect(page.get_by_role("heading", name=f"Your comment on “{TITLE}”")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Your comment was not posted yet")
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    expect(page.get_by_text("Maria wrote:")).to_be_visible()
    expect(page.get_by_role("heading", name="Reply to Maria")).to_be_visible()
    expect(page.get_by_label(label("Comment"))).to_have_value("Heat helps me too, before bed.")
    expect(page.get_by_label(label("Name"))).to_have_value("Tom")
    expect(page.get_by_label(label("Email"))).to_have_value("tom.example.net")
    expect(page.get_by_label("Notify me of replies to my comment by email")).to_be_checked()
    assert_accessible(page)

    page.get_by_label(label("Email")).fill(GUEST["email"])
    page.get_by_role("button", name="Post Comment").click()

    expect_back_at_comment(page, article, "Heat helps me too, before bed.", HELD)
    reply = (
        thread_of(page, "Maria").get_by_role("list").get_by_role("article", name="Comment by Tom")
    )
    expect(reply).to_contain_text("Heat helps me too, before bed.")
    expect(reply.get_by_text("Your comment is awaiting moderation.")).to_be_visible()


def a_deep_thread(article, depth):
    """Maria's comment, the coach's answer under it, then readers' replies down to `depth`."""
    comment = CommentFactory(target=article, name="Maria", body=QUESTION)
    comment = CommentFactory(parent=comment, user=article.author, name="Coach Elena", body=ANSWER)
    for level in range(3, depth + 1):
        comment = CommentFactory(
            parent=comment,
            name=f"Reader {level}",
            body=f"Level {level}: see https://example.org/{'a-rather-long-path-' * 6}end "
            "and Sternocleidomastoideusverspannungsbehandlung.",
        )
    return comment


def test_a_thread_with_a_pending_comment_and_an_open_reply_form_is_accessible(page):
    """axe-core finds no WCAG A/AA violation in nested comments, one's own pending comment
    and the reply form opened under a comment."""
    article = ArticleFactory(title=TITLE)
    a_deep_thread(article, depth=3)
    page.goto(article.get_absolute_url())
    fill_guest_form(page, "Does this work for the lower back as well?")
    page.get_by_role("button", name="Post Comment").click()
    expect(
        comment_by(page, "Tom").get_by_text("Your comment is awaiting moderation.")
    ).to_be_visible()

    thread_of(page, "Coach Elena").get_by_role("link", name="Reply to Coach Elena").click()
    expect(
        thread_of(page, "Coach Elena").get_by_role("heading", name="Reply to Coach Elena")
    ).to_be_visible()

    assert_accessible(page)


def test_a_deep_thread_is_readable_on_a_phone(page):
    """At 390 px wide, the deepest replies, long links and the open reply form need no
    horizontal scrolling, and the deepest text keeps at least half the screen's width."""
    article = ArticleFactory(title=TITLE)
    deepest = a_deep_thread(article, depth=5)
    page.set_viewport_size(PHONE)
    page.goto(article.get_absolute_url())
    fill_guest_form(page, "Does this work for the lower back as well?")
    page.get_by_role("button", name="Post Comment").click()
    expect(
        comment_by(page, "Tom").get_by_text("Your comment is awaiting moderation.")
    ).to_be_visible()

    thread_of(page, deepest.name).get_by_role("link", name=f"Reply to {deepest.name}").click()
    expect(thread_of(page, deepest.name).get_by_label(label("Comment"))).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    text = comment_by(page, deepest.name).get_by_text(
        "Sternocleidomastoideusverspannungsbehandlung"
    )
    box = text.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert box["width"] >= PHONE["width"] / 2, box
    assert_accessible(page)
