"""Readers report a comment: three of them hide it, a moderator reads why and decides."""

import re

import pytest
from playwright.sync_api import expect

from painrelief.comments.models import Comment, CommentReport
from tests.browser.conftest import admin_log_in, assert_accessible, submit_login_form
from tests.factories import PASSWORD, ArticleFactory, CommentFactory, UserFactory, moderator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Knots between the shoulder blades"
THANKS = "Thank you, a moderator will look at it."
ADVERT = "Great post! Visit my page for the best massage guns at low prices."
HEAT = "Heat before the stretches works for me."


def comment_by(scope, name):
    return scope.get_by_role("article", name=f"Comment by {name}", exact=True)


def report(page, article, reason, note="", *, check_accessible=False):
    """Open the article, follow Victor's Report link, choose the reason and send it."""
    page.goto(article.get_absolute_url())
    comment_by(page, "Victor").get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", name="Report a comment")).to_be_visible()
    expect(page.get_by_text(ADVERT)).to_be_visible()
    if check_accessible:
        assert_accessible(page)
    page.get_by_label(reason).check()
    if note:
        page.get_by_label("Anything the moderators should know (optional)").fill(note)
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text(THANKS)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{re.escape(article.get_absolute_url())}#comments$"))


def signed_in_reader(new_page, name):
    reader = UserFactory(display_name=name, email=f"{name.lower()}@post.example")
    tab = new_page()
    submit_login_form(tab, reader.email, PASSWORD)
    return reader, tab


def row_of(page, body):
    return page.get_by_role("row").filter(has_text=body[:80])


@pytest.mark.parametrize("decision", ["keep", "remove"])
def test_three_readers_hide_a_comment_and_a_moderator_decides(page, new_page, settings, decision):
    """Two signed-in readers and a guest without JavaScript (from the cached page) report an
    advert; it leaves the page at the third. The moderator finds it counted on the admin
    index, reads the reasons and the note, and keeps it (back on the page) or removes it."""
    settings.SPAM_MIN_SECONDS = 0  # the browser fills the form faster than a person
    settings.COMMENT_REPORTS_TO_HIDE = 3
    article = ArticleFactory(title=TITLE)
    ann, ann_tab = signed_in_reader(new_page, "Ann")
    CommentFactory(target=article, user=ann, email="", name="Ann", body=HEAT)
    CommentFactory(target=article, name="Victor", body=ADVERT)

    # Ann reports the advert; her own comment has no Report link.
    ann_tab.goto(article.get_absolute_url())
    expect(comment_by(ann_tab, "Ann").get_by_role("link", name="Report")).to_have_count(0)
    report(
        ann_tab, article, "Spam or advertising", note="Sells massage guns", check_accessible=True
    )
    assert_accessible(ann_tab)
    expect(comment_by(ann_tab, "Victor")).to_be_visible()  # one reader is not enough

    # A double click on Bruno's report is one report.
    _bruno, bruno_tab = signed_in_reader(new_page, "Bruno")
    report(bruno_tab, article, "Off-topic")
    report(bruno_tab, article, "Off-topic")
    assert CommentReport.objects.count() == 2
    expect(comment_by(bruno_tab, "Victor")).to_be_visible()

    # A guest without JavaScript, from the shared copy of the page: the link needs none.
    guest = new_page(java_script_enabled=False)
    guest.goto(article.get_absolute_url())
    expect(comment_by(guest, "Victor")).to_be_visible()
    report(guest, article, "Rude or abusive")
    expect(comment_by(guest, "Victor")).to_have_count(0)
    expect(guest.get_by_text(ADVERT)).to_have_count(0)
    visitor = new_page()
    visitor.goto(article.get_absolute_url())
    expect(visitor.get_by_role("heading", name=f"One thought on “{TITLE}”")).to_be_visible()
    expect(visitor.get_by_text(ADVERT)).to_have_count(0)

    admin_log_in(page, moderator())
    queue = page.locator("#moderation-queue")
    queue.get_by_role("link", name="1 reported by readers").click()
    row = row_of(page, ADVERT)
    expect(row).to_contain_text("3 (hidden): Spam or advertising, Off-topic, Rude or abusive")
    expect(row).to_contain_text("“Sells massage guns”")
    expect(page.get_by_role("row").filter(has_text=HEAT)).to_have_count(0)
    row.get_by_role("checkbox").check()
    action = {
        "keep": "Reported: keep (dismiss the reports, show it again)",
        "remove": "Remove (keep replies in place)",
    }[decision]
    page.get_by_role("combobox", name=re.compile(r"^Action")).select_option(label=action)
    page.get_by_role("button", name="Run").click()

    comment = Comment.objects.get(name="Victor")
    if decision == "keep":
        expect(page.get_by_text("1 kept: their reports are dismissed.")).to_be_visible()
        visitor.reload()
        expect(comment_by(visitor, "Victor")).to_contain_text(ADVERT)
        assert comment.status == Comment.Status.APPROVED
    else:
        expect(page.get_by_text("1 removed.")).to_be_visible()
        visitor.reload()
        expect(visitor.get_by_text(ADVERT)).to_have_count(0)
        assert comment.status == Comment.Status.REMOVED
    expect(row_of(page, ADVERT)).to_have_count(0)  # the queue of reported comments is empty
    outcome = {"keep": "kept", "remove": "removed"}[decision]
    assert set(CommentReport.objects.values_list("outcome", flat=True)) == {outcome}
