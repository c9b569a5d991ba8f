import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_home_page_renders_with_the_navigation_and_footer(page):
    page.goto("/")

    nav = page.get_by_role("navigation", name="Main")
    for link in ("Articles", "Questions", "Ask the coach", "Log in", "Sign up"):
        expect(nav.get_by_role("link", name=link, exact=True)).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search the site")).to_be_visible()
    expect(page.get_by_role("contentinfo").get_by_role("link", name="Privacy")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.parametrize(
    "path", ["/", "/privacy/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_public_pages_pass_axe(page, path):
    page.goto(path)

    assert_accessible(page)


def test_profile_page_passes_axe(page, client):
    UserFactory(email="ruth@example.org")
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("ruth@example.org")
    page.get_by_label("Password").fill("a-long-test-password-42")
    page.get_by_role("button", name="Log in").click()
    page.goto("/accounts/profile/")

    assert_accessible(page)


def test_skip_link_takes_keyboard_users_to_the_main_content(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()


def test_menu_button_opens_the_navigation_on_a_phone(page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    articles = page.get_by_role("navigation", name="Main").get_by_role("link", name="Articles")
    expect(articles).to_be_hidden()

    page.get_by_role("button", name="Show the menu").click()

    expect(articles).to_be_visible()


def test_search_box_submits_the_query_to_the_search_page(page):
    page.goto("/")

    page.get_by_role("searchbox", name="Search the site").fill("neck knots")
    page.get_by_role("searchbox", name="Search the site").press("Enter")

    expect(page).to_have_url("/articles/search/?q=neck+knots")
    expect(page.get_by_text("Nothing matches “neck knots” yet.")).to_be_visible()


def test_bootstrap_and_our_css_come_from_the_site_itself(page):
    page.goto("/")

    stylesheets = page.eval_on_selector_all(
        "link[rel=stylesheet]", "links => links.map(l => l.href)"
    )
    scripts = page.eval_on_selector_all("script[src]", "scripts => scripts.map(s => s.src)")
    assert stylesheets and scripts
    for url in stylesheets + scripts:
        assert url.startswith(page.url.rstrip("/") + "/static/"), url
        assert page.request.get(url).ok, url


def test_the_accessibility_check_really_reports_violations(page):
    """Guards assert_accessible itself: an image without alt text must be reported."""
    page.goto("/")
    page.evaluate(
        "() => document.querySelector('main').append(Object.assign("
        "document.createElement('img'), {src: '/static/css/site.css'}))"
    )

    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
