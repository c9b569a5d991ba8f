import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import UserFactory, coach

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_home_page_shows_the_full_navigation_and_footer_without_csp_violations(page, browser_log):
    page.goto("/")

    expect(page).to_have_title("Pain Relief Coach")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Pain Relief Coach")).to_have_attribute("href", "/")
    for name, href in [
        ("Articles", "/articles/"),
        ("Questions", "/questions/"),
        ("Ask the coach", "/questions/ask/"),
        ("Log in", "/accounts/login/"),
        ("Sign up", "/accounts/signup/"),
    ]:
        expect(nav.get_by_role("link", name=name, exact=True)).to_have_attribute("href", href)
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(nav.get_by_role("searchbox", name="Search the site")).to_be_visible()
    expect(nav.get_by_role("button", name="Search")).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_have_count(0)
    footer = page.get_by_role("contentinfo")
    expect(footer.get_by_role("link", name="Privacy")).to_have_attribute("href", "/privacy/")
    expect(footer).to_contain_text("coaching, not medical advice")
    # Bootstrap's deferred script has run: the page's scripts all load under the CSP.
    page.wait_for_function("() => typeof window.bootstrap === 'object'")
    assert browser_log.csp_violations == []


def test_signed_in_reader_sees_their_name_and_a_log_out_button_but_no_admin_link(page):
    log_in(page, UserFactory(display_name="Ruth").email)

    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Ruth")).to_have_attribute("href", "/accounts/profile/")
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    expect(nav.get_by_role("link", name="Log in")).to_have_count(0)
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)


def test_signed_in_coach_sees_an_admin_link_in_the_header(page):
    log_in(page, coach().email)

    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Coach Elena")).to_be_visible()
    expect(nav.get_by_role("link", name="Admin")).to_have_attribute("href", "/admin/")


@pytest.mark.parametrize(
    "path", ["/", "/privacy/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_public_page_has_no_axe_violations(page, path):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    assert_accessible(page)


def test_profile_page_has_no_axe_violations_when_signed_in(page):
    log_in(page, UserFactory().email)
    page.goto("/accounts/profile/")
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()

    assert_accessible(page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/#main$"))
    expect(page.get_by_role("main")).to_be_focused()


def test_menu_button_opens_the_collapsed_navigation_on_a_375px_phone(page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    articles = page.get_by_role("navigation", name="Main").get_by_role("link", name="Articles")
    toggler = page.get_by_role("button", name="Show the menu")
    expect(articles).to_be_hidden()
    expect(toggler).to_have_attribute("aria-expanded", "false")

    toggler.click()

    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(articles).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search the site")).to_be_visible()
    expect(page.get_by_role("link", name="Sign up")).to_be_visible()


def test_search_box_submits_the_query_to_the_search_page(page):
    page.goto("/")

    search = page.get_by_role("searchbox", name="Search the site")
    search.fill("neck knots")
    search.press("Enter")

    expect(page).to_have_url("/articles/search/?q=neck+knots")
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    expect(page.get_by_text("Nothing matches “neck knots”.", exact=False)).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search the site")).to_have_value("neck knots")


def test_stylesheets_and_scripts_are_served_by_the_site_itself(page):
    page.goto("/")

    stylesheets = page.eval_on_selector_all(
        "link[rel=stylesheet]", "links => links.map(l => l.href)"
    )
    scripts = page.eval_on_selector_all("script[src]", "scripts => scripts.map(s => s.src)")
    assert stylesheets and scripts
    for url in stylesheets + scripts:
        assert url.startswith(page.url.rstrip("/") + "/static/"), url
        assert page.request.get(url).ok, url


def test_accessibility_check_reports_an_image_without_alt_text(page):
    """Guards assert_accessible itself: a real violation must make it fail."""
    page.goto("/")
    page.evaluate(
        "() => document.querySelector('main').append(Object.assign("
        "document.createElement('img'), {src: '/static/css/site.css'}))"
    )

    with pytest.raises(AssertionError, match=r"image-alt \(critical\)"):
        assert_accessible(page)


def test_csp_violations_are_recorded(page, browser_log):
    """Guards the page fixture: an inline script, which the CSP forbids, must be caught."""
    page.goto("/")

    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            "() => document.body.append(Object.assign("
            "document.createElement('script'), {textContent: 'window.inlineRan = true'}))"
        )

    assert page.evaluate("() => window.inlineRan") is None
    assert len(browser_log.csp_violations) == 1
    browser_log.csp_violations.clear()  # expected here: must not fail the test at teardown
