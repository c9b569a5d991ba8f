"""Moderators work through the queue in the admin; their decisions teach the spam filter."""

import re

import pytest
from playwright.sync_api import expect

from painrelief.comments.models import Comment
from painrelief.spam import classifier
from painrelief.spam.defence import Submission
from painrelief.spam.models import Decision
from tests.browser.conftest import admin_log_in, assert_accessible
from tests.factories import ArticleFactory, CommentFactory, moderator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Knots between the shoulder blades"
HELD = "Thank you: your comment is awaiting moderation."
AWAITING = "Your comment is awaiting moderation."
CHANGELIST = "/admin/comments/comment/"
# Spam for a brand the starter corpus has never seen: only a moderator's lesson teaches it.
BRAND_SPAM = (
    "Zorvexa capsules ended my back pain in two days! Order Zorvexa capsules at "
    "zorvexa-deals.example, Zorvexa capsules for everyone."
)
MORE_BRAND_SPAM = (
    "Try Zorvexa capsules: the Zorvexa deals at zorvexa-deals.example end soon, "
    "Zorvexa capsules work."
)


def label(text):
    """A form field's label; crispy forms ends it with "*" when the field is required."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def comment_by(scope, name):
    """The comment written by `name`, as a reader finds it: an article named after its author."""
    return scope.get_by_role("article", name=f"Comment by {name}", exact=True)


def comments_queue(page):
    """The comments' line of the admin index's "Waiting for moderation" box."""
    box = page.locator("#moderation-queue")
    expect(box.get_by_role("heading", name="Waiting for moderation")).to_be_visible()
    return box.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Comments"))


def row_of(page, body):
    """The changelist row showing `body` (the list shows the first 90 characters)."""
    return page.get_by_role("row").filter(has_text=body[:80])


def cell(page, body, text):
    """The cell reading exactly `text` in the changelist row showing `body`."""
    return row_of(page, body).get_by_role("cell", name=text, exact=True)


def reason(code, text, severity="hold", kind="content"):
    return {"code": code, "text": text, "severity": severity, "kind": kind}


def post_as_guest(page, article, body, *, name, email):
    page.goto(article.get_absolute_url())
    page.get_by_label(label("Comment")).fill(body)
    page.get_by_label(label("Name")).fill(name)
    page.get_by_label(label("Email")).fill(email)
    page.get_by_role("button", name="Post Comment").click()
    expect(page.get_by_text(HELD)).to_be_visible()


def test_a_moderators_day_in_the_queue(page, new_page):
    """The index counts the work; "Not spam" publishes a held comment, "Spam" hides a published
    one, each in one click from the list, and each decision is recorded with its moderator."""
    article = ArticleFactory(title=TITLE)
    held = CommentFactory(
        target=article,
        name="Rosa",
        email="rosa@post.example",
        status="pending",
        body="Ice or heat for a pulled calf? Mine hurts most on the stairs.",
        spam_score=0.64,
        reasons=[
            reason("classifier-unsure", "may be spam (0.64: stairs)"),
            reason("first-time", "first submission from this guest", kind="policy"),
        ],
        reason_codes="classifier-unsure first-time",
    )
    CommentFactory(
        target=article,
        name="Bill",
        status="pending",
        spam_score=0.81,
        body="Cheap muscle relaxants without prescription, fast shipping.",
        reasons=[reason("classifier-unsure", "may be spam (0.81: prescription)")],
        reason_codes="classifier-unsure",
    )
    CommentFactory(
        target=article,
        name="Pillmart",
        status="spam",
        spam_score=0.99,
        body="Buy pills online now, best prices, promo code PAIN50.",
        reasons=[reason("classifier", "reads like spam (0.99: promo, pills)", severity="spam")],
        reason_codes="classifier",
    )
    published = CommentFactory(
        target=article,
        name="Victor",
        spam_score=0.42,
        body="Great post! Visit my page for the best massage guns at low prices.",
    )
    CommentFactory(target=article, name="Ann", body="Heat before the stretches works for me.")
    visitor = new_page()
    visitor.goto(article.get_absolute_url())
    expect(visitor.get_by_role("heading", name=f"2 thoughts on “{TITLE}”")).to_be_visible()
    expect(comment_by(visitor, "Rosa")).to_have_count(0)

    user = moderator()
    admin_log_in(page, user)
    queue = comments_queue(page)
    expect(queue.get_by_role("link", name="1 spam")).to_be_visible()
    queue.get_by_role("link", name="2 awaiting moderation").click()

    selectable = page.get_by_role("checkbox", name=re.compile(r"^Select this object"))
    expect(page.get_by_role("row").filter(has=selectable)).to_have_count(2)
    row = row_of(page, held.body)
    expect(cell(page, held.body, "0.64")).to_be_visible()
    expect(row).to_contain_text("may be spam (0.64: stairs); first submission from this guest")
    expect(cell(page, held.body, "Awaiting moderation")).to_be_visible()
    row.get_by_role("button", name="Not spam").click()

    expect(page.get_by_text(f"Not spam: approved: “{held.body[:40]}")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?status__exact=pending$"))
    expect(row_of(page, held.body)).to_have_count(0)
    page.get_by_role("link", name=re.compile(r"^Approved \(3\)$")).click()
    expect(cell(page, held.body, "Approved")).to_be_visible()

    visitor.reload()
    expect(visitor.get_by_role("heading", name=f"3 thoughts on “{TITLE}”")).to_be_visible()
    expect(comment_by(visitor, "Rosa")).to_contain_text(held.body)
    expect(comment_by(visitor, "Rosa").get_by_text(AWAITING)).to_have_count(0)
    expect(comment_by(visitor, "Victor")).to_contain_text(published.body)

    row_of(page, published.body).get_by_role("button", name="Spam", exact=True).click()
    expect(page.get_by_text(f"Marked as spam: “{published.body[:40]}")).to_be_visible()
    expect(row_of(page, published.body)).to_have_count(0)

    visitor.reload()
    expect(visitor.get_by_role("heading", name=f"2 thoughts on “{TITLE}”")).to_be_visible()
    expect(comment_by(visitor, "Victor")).to_have_count(0)
    expect(visitor.get_by_text(published.body)).to_have_count(0)

    decisions = Decision.objects.order_by("decided_at", "pk").values_list(
        "moderator", "object_id", "from_status", "to_status", "taught"
    )
    assert list(decisions) == [
        (user.pk, held.pk, "pending", "approved", "ham"),
        (user.pk, published.pk, "approved", "spam", "spam"),
    ]
    page.goto("/admin/spam/decision/")
    decision_row = page.get_by_role("row").filter(has_text=f"comment #{held.pk}")
    expect(decision_row).to_contain_text(str(user))
    expect(decision_row.get_by_role("cell", name="pending", exact=True)).to_be_visible()
    expect(decision_row.get_by_role("cell", name="approved", exact=True)).to_be_visible()


def test_spam_from_the_same_email_domain_in_one_action(page):
    """Selecting one guest's comment and running "Spam: everything from the same email domains"
    marks every comment from that domain as spam, whatever its status, and nothing else."""
    selected = CommentFactory(
        name="Pat",
        email="pat@pillmart.example",
        status="pending",
        body="Relief for every knot at Pillmart, order today.",
    )
    same_domain = [
        CommentFactory(
            name="Lou", email="lou@PillMart.example", body="Pillmart saved my shoulders, honestly."
        ),
        CommentFactory(
            name="Sam",
            email="sam@pillmart.example",
            status="pending",
            body="Best prices for pain patches at Pillmart.",
        ),
    ]
    others = [
        CommentFactory(
            name="Ann",
            email="ann@post.example",
            status="pending",
            body="Does heat help before the morning stretches?",
        ),
        CommentFactory(
            name="Bo",
            email="bo@notpillmart.example",
            body="Ten minutes of heat first, then the stretches.",
        ),
    ]
    admin_log_in(page, moderator())
    page.goto(CHANGELIST)

    row_of(page, selected.body).get_by_role("checkbox").check()
    page.get_by_role("combobox", name=re.compile(r"^Action")).select_option(
        label="Spam: everything from the same email domains"
    )
    page.get_by_role("button", name="Run").click()  # "Go" before Django 6.1

    expect(page.get_by_text("3 marked as spam.")).to_be_visible()
    for comment in [selected, *same_domain]:
        expect(cell(page, comment.body, "Spam")).to_be_visible()
    for comment, status in zip(others, ["Awaiting moderation", "Approved"], strict=True):
        expect(cell(page, comment.body, status)).to_be_visible()
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert {statuses[c.pk] for c in [selected, *same_domain]} == {"spam"}
    assert [statuses[c.pk] for c in others] == ["pending", "approved"]


def test_marking_spam_teaches_the_filter_to_catch_the_next_one(
    page, new_page, settings, starter_filter
):
    """After a moderator marks a new brand's comment as spam, another guest's comment about the
    same brand scores higher than before the lesson, is not published, and the queue says the
    filter found it spammy."""
    settings.SPAM_MIN_SECONDS = 0
    # One lesson lifts the brand's score from about 0.4 to 0.8: under the strict threshold of a
    # site with no ham of its own yet (0.99), above a site's that chose a looser one.
    settings.SPAM_CLASSIFIER_HOLD = 0.7
    article = ArticleFactory(title=TITLE)
    first_guest = new_page()
    post_as_guest(first_guest, article, BRAND_SPAM, name="Dana", email="dana@post.example")
    assert Comment.objects.get(body=BRAND_SPAM).status == Comment.Status.PENDING

    admin_log_in(page, moderator())
    comments_queue(page).get_by_role("link", name="1 awaiting moderation").click()
    # Scored as the second guest will send it (the name and address are features too).
    kims_comment = Submission(MORE_BRAND_SPAM, "Kim", "kim@mail.example")
    before_the_lesson = classifier.score(kims_comment).probability
    row_of(page, BRAND_SPAM).get_by_role("button", name="Spam", exact=True).click()
    expect(page.get_by_text("Marked as spam:")).to_be_visible()

    second_guest = new_page()
    post_as_guest(second_guest, article, MORE_BRAND_SPAM, name="Kim", email="kim@mail.example")
    expect(comment_by(second_guest, "Kim").get_by_text(AWAITING)).to_be_visible()
    first_guest.reload()
    expect(first_guest.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    expect(first_guest.get_by_text(MORE_BRAND_SPAM)).to_have_count(0)

    second = Comment.objects.get(body=MORE_BRAND_SPAM)
    assert second.status != Comment.Status.APPROVED
    assert second.spam_score > before_the_lesson
    page.goto(CHANGELIST)
    expect(row_of(page, MORE_BRAND_SPAM)).to_contain_text(
        re.compile(r"reads like spam|may be spam")
    )


def test_a_disallowed_term_marks_the_next_comment_as_spam_quietly(page, new_page, settings):
    """A phrase added to the disallowed terms makes the next comment with it spam; its author
    sees it as merely awaiting moderation, other visitors do not see it."""
    settings.SPAM_MIN_SECONDS = 0
    article = ArticleFactory(title=TITLE)
    admin_log_in(page, moderator())
    page.goto("/admin/spam/disallowedterm/add/")
    page.get_by_label("Kind").select_option(label="Word or phrase (in the text or the name)")
    page.get_by_label("Value").fill("Zorvexa")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    expect(page.get_by_role("link", name="zorvexa", exact=True)).to_be_visible()

    guest = new_page()
    body = "Zorvexa capsules fixed my shoulder in a week."
    post_as_guest(guest, article, body, name="Dana", email="dana@post.example")
    mine = comment_by(guest, "Dana")
    expect(mine).to_contain_text(body)
    expect(mine.get_by_text(AWAITING)).to_be_visible()
    expect(mine).not_to_contain_text(re.compile("spam|disallowed", re.IGNORECASE))

    visitor = new_page()
    visitor.goto(article.get_absolute_url())
    expect(visitor.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    expect(visitor.get_by_text(body)).to_have_count(0)

    comment = Comment.objects.get(body=body)
    assert comment.status == Comment.Status.SPAM
    assert "disallowed" in comment.reason_codes.split()
    page.goto("/admin/")
    expect(comments_queue(page).get_by_role("link", name="1 spam")).to_be_visible()


def test_the_honeypot_is_out_of_sight_out_of_reach_and_unannounced(page):
    """The comment form passes axe-core with its honeypot, which is off screen, absent from the
    accessibility tree, and skipped by Tab (Comment → Name, and never reached)."""
    article = ArticleFactory(title=TITLE)
    page.goto(article.get_absolute_url())

    honeypot = page.locator("input[name=homepage]")
    expect(honeypot).to_be_attached()
    expect(honeypot).not_to_be_in_viewport()
    box = honeypot.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0, box
    expect(page.get_by_role("textbox", name="Leave this field empty")).to_have_count(0)

    page.get_by_label(label("Comment")).focus()
    page.keyboard.press("Tab")
    expect(page.get_by_label(label("Name"))).to_be_focused()
    reached = []
    post = page.get_by_role("button", name="Post Comment")
    for _ in range(10):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.name || document.activeElement.id"))
        if post.evaluate("button => button === document.activeElement"):
            break
    expect(post).to_be_focused()
    assert "homepage" not in reached, reached

    assert_accessible(page)
