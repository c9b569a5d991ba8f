"""Long unbroken words (a pasted address, a hostile title) wrap: no page grows wider than the
window, on a desktop or a phone."""

from urllib.parse import quote

import pytest

from painrelief.comments.models import Comment
from tests.browser.conftest import log_in
from tests.factories import ArticleFactory, CommentFactory, QuestionFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONG_WORD = "knot" * 75  # 300 characters, no break
LONG_NAME = ("Maximiliana" * 6)[:60]  # the longest display name, unbroken


def page_overflow(page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


def widest_elements(page) -> list[str]:
    """The innermost elements that reach past the window's right edge, for the failure message."""
    return page.evaluate(
        """() => {
            const past = (e) => e.getBoundingClientRect().right > window.innerWidth + 1;
            return [...document.querySelectorAll('body *')]
                .filter(e => past(e) && ![...e.children].some(past))
                .slice(0, 5)
                .map(e => [e.tagName.toLowerCase(), ...e.classList].join('.'));
        }"""
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_a_300_character_word_does_not_make_a_page_wider_than_the_window(page, settings, width):
    """Also the comment pager of 65 pages, in the middle."""
    settings.COMMENTS_THREADS_PER_PAGE = 1
    reader = UserFactory(display_name=LONG_NAME)
    # Titles as long as their fields take (PostgreSQL refuses more), still one unbroken word.
    article = ArticleFactory(title=LONG_WORD[:200], summary=LONG_WORD)
    CommentFactory(target=article, name=LONG_NAME, body=f"Look at {LONG_WORD} here.")
    CommentFactory(target=article, user=reader, email="", body=LONG_WORD)
    Comment.objects.bulk_create(CommentFactory.build(target=article) for _ in range(63))
    QuestionFactory(public=True, public_title=LONG_WORD[:150], public_body=f"My {LONG_WORD} hurts.")
    log_in(page, reader.email)  # the header shows the display name
    page.set_viewport_size({"width": width, "height": 900})

    paths = [
        article.get_absolute_url(),
        f"{article.get_absolute_url()}?cpage=33",
        f"/articles/search/?q={quote(LONG_WORD)}",
        f"/articles/search/?q={quote(LONG_WORD + 'x')}",  # nothing found: the query is repeated
        "/",
        "/articles/",
        "/questions/",
    ]
    too_wide = []
    for path in paths:
        page.goto(path)
        if width > 992:  # Bootstrap's lg breakpoint: below it the menu is collapsed
            header = page.get_by_role("navigation", name="Main")
            assert header.get_by_role("link", name=LONG_NAME, exact=True).is_visible()
        scroll_width, window_width = page_overflow(page)
        if scroll_width > window_width:
            too_wide.append(f"{path} is {scroll_width} px wide: {widest_elements(page)}")
    assert not too_wide, "\n".join(too_wide)
