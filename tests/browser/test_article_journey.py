"""The coach writes and publishes an article in the admin; a visitor finds and reads it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import admin_log_in, assert_accessible, log_in
from tests.factories import ArticleFactory, CategoryFactory, coach

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BODY = (
    "## Why the knot comes back\n\nHours at the desk shorten the rhomboids.\n\n"
    "- Warm the area\n- Press for ninety seconds\n\nhttps://youtu.be/4pKly2JojMw\n"
)


def test_the_coach_publishes_an_illustrated_article_that_a_visitor_then_finds(
    page, browser, live_server, tmp_path
):
    """Live preview, hero upload, publishing; then home, category, search, feed and the article."""
    # Chromium has no internet here: answer the embedded player's request with an empty page.
    page.context.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body=""))
    writer = coach()
    category = CategoryFactory(name="Shoulder pain")
    hero = tmp_path / "hero.jpg"
    Image.new("RGB", (1600, 900), (90, 140, 160)).save(hero)

    admin_log_in(page, writer)
    page.goto("/admin/articles/article/add/")
    page.fill("#id_title", "The rhomboid knot that keeps coming back")
    page.fill("#id_body", BODY)
    preview = page.locator("#markdown-preview-panel")
    expect(preview.get_by_role("heading", name="Why the knot comes back")).to_be_visible()
    expect(
        preview.locator('[data-player="https://www.youtube-nocookie.com/embed/4pKly2JojMw"]')
    ).to_have_count(1)
    expect(preview.locator("iframe")).to_have_count(0)  # nothing loads from YouTube
    # The category field is an autocomplete widget; choose the option on the underlying select.
    page.evaluate(
        "([pk, name]) => { const s = document.getElementById('id_category');"
        " s.add(new Option(name, pk, true, true)); }",
        [str(category.pk), category.name],
    )
    page.set_input_files("#id_hero_upload", str(hero))
    page.fill("#id_hero_alt", "A shoulder blade with a knot beside the spine")
    page.select_option("#id_status", "published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()

    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.context.route(
        "https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body="")
    )
    to_the_video_site = []
    visitor.on(
        "request",
        lambda request: "youtube" in request.url and to_the_video_site.append(request.url),
    )
    visitor.goto("/")
    expect(
        visitor.get_by_role("link", name="The rhomboid knot that keeps coming back", exact=True)
    ).to_be_visible()
    assert_accessible(visitor)
    visitor.goto(category.get_absolute_url())
    expect(
        visitor.get_by_role("link", name="The rhomboid knot that keeps coming back", exact=True)
    ).to_be_visible()
    visitor.get_by_label("Search the site").fill("rhomboids")
    visitor.get_by_label("Search the site").press("Enter")
    expect(visitor.locator(".search-snippet mark").first).to_be_visible()
    feed = visitor.request.get("/articles/feed/")
    assert "The rhomboid knot that keeps coming back" in feed.text()

    visitor.get_by_role("link", name="The rhomboid knot that keeps coming back", exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "The rhomboid knot that keeps coming back"
    )
    image = visitor.locator("picture img")
    expect(image).to_have_attribute("alt", "A shoulder blade with a knot beside the spine")
    expect(image).to_have_attribute("width", "1600")
    assert "800w" in image.get_attribute("srcset")
    assert_accessible(visitor)
    # Click to load: nothing came from YouTube until the reader pressed play.
    assert to_the_video_site == []
    visitor.get_by_role("button", name="A video on YouTube").click()
    expect(
        visitor.locator(
            'iframe[src="https://www.youtube-nocookie.com/embed/4pKly2JojMw?autoplay=1"]'
        )
    ).to_have_count(1)
    assert to_the_video_site == ["https://www.youtube-nocookie.com/embed/4pKly2JojMw?autoplay=1"]
    visitor.context.close()


def test_without_javascript_a_video_is_its_title_and_a_link(new_page):
    article = ArticleFactory(body="[Releasing the rhomboids](https://youtu.be/4pKly2JojMw)\n")
    reader = new_page(java_script_enabled=False)

    reader.goto(article.get_absolute_url())

    expect(reader.locator(".video-no-script")).to_have_text("Releasing the rhomboids")
    expect(reader.locator(".video-no-script")).to_be_visible()
    expect(reader.get_by_role("link", name="Watch the video on YouTube")).to_have_attribute(
        "href", "https://youtu.be/4pKly2JojMw"
    )
    expect(reader.locator(".video-play")).to_be_hidden()  # the play button needs JavaScript
    expect(reader.locator("iframe")).to_have_count(0)


def test_a_scheduled_article_is_hidden_from_visitors_and_previewed_by_the_coach(
    page, browser, live_server
):
    article = ArticleFactory(
        title="Coming next week", published_at=timezone.now() + timedelta(days=7)
    )

    response = page.goto(article.get_absolute_url())
    assert response.status == 404
    page.goto("/")
    expect(page.get_by_text("Coming next week")).to_have_count(0)

    log_in(page, article.author.email)
    page.goto(article.get_absolute_url())
    expect(page.locator(".preview-banner")).to_contain_text("This article is scheduled")


def test_an_article_page_fits_a_phone_screen(page):
    article = ArticleFactory(
        body=BODY.replace("https://youtu.be/4pKly2JojMw\n", "") + "word " * 800
    )
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(article.get_absolute_url())

    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert_accessible(page)
