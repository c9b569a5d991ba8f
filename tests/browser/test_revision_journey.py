"""The coach's article history: a closed tab loses nothing (autosave), and any two revisions
are compared and one restored (issue 15, item 1)."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import admin_log_in
from tests.factories import ArticleFactory, coach

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_closed_tab_loses_nothing_and_an_old_text_comes_back(page, new_page):
    writer = coach()
    article = ArticleFactory(
        author=writer, title="Heat or ice", body="Heat relaxes a knot.\n\nIce numbs it."
    )
    change = f"/admin/articles/article/{article.pk}/change/"
    admin_log_in(page, writer)

    # The coach types, then the tab is closed without saving.
    page.goto(change)
    page.fill("#id_body", "Heat relaxes a knot.\n\nIce numbs it.\n\nA new paragraph, not saved.")
    expect(page.get_by_text("Draft autosaved at")).to_be_visible(timeout=10_000)
    page.goto("about:blank")
    assert "not saved" not in Article.objects.get(pk=article.pk).body  # nothing published

    # Back on the article, the draft is offered and put back in the editor, then saved.
    page.goto(change)
    expect(page.get_by_text("Your editor autosaved text you did not save")).to_be_visible()
    page.get_by_role("button", name="Put it back in the editor").click()
    expect(page.locator("#id_body")).to_have_value(
        "Heat relaxes a knot.\n\nIce numbs it.\n\nA new paragraph, not saved."
    )
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    # The history: the text before, and the saved one; compare them, then restore the old.
    page.get_by_role("link", name="2 revisions").click()
    page.get_by_role("button", name="Compare the two selected").click()
    expect(page.locator(".text-diff ins")).to_contain_text("A new paragraph, not saved.")
    page.get_by_role("button", name="Restore the text of").click()
    expect(page.get_by_text("was restored; it is now the latest revision")).to_be_visible()
    expect(page.locator("#id_body")).to_have_value("Heat relaxes a knot.\n\nIce numbs it.")
    expect(page.get_by_role("link", name="3 revisions")).to_be_visible()
