"""The sweep's check finds markup from input: every hostile string that is markup or a
dangerous address is flagged when a page would carry it unescaped, and none once escaped."""

import pytest
from django.utils.html import escape

from tests.html import active_content, shows

from .payloads import HOSTILE

# The strings that are markup or a dangerous address, and how a careless template would
# carry them: as the page's markup, in a link, or in a quoted or unquoted attribute.
ACTIVE = {
    "script": "{}",
    "img-onerror": "{}",
    "svg-onload": '<input value="{}">',
    "body-onload": "<input value='{}'>",
    "details-ontoggle": "{}",
    "attribute-breakout": '<input value="{}">',
    "single-quote-breakout": "<input value='{}'>",
    "textarea-breakout": "<textarea>{}</textarea>",
    "title-breakout": "<title>{}</title>",
    "comment-confusion": "{}",
    "json-breakout": '<script type="application/json">{}</script>',
    "javascript-link": "{}",
    "javascript-url": '<a href="{}">site</a>',
    "javascript-mixed-case": '<a href="{}">site</a>',
    "javascript-entities": '<a href="{}">site</a>',
    "javascript-tab": '<a href="{}">site</a>',
    "data-url": '<a href="{}">site</a>',
    "url-with-quote": '<a href="{}">site</a>',
    "url-with-svg": "<a href={}>site</a>",
    "svg-script": "{}",
    "svg-xlink": "{}",
    "svg-animate": "{}",
    "mathml-mglyph": "{}",
    "iframe-srcdoc": "{}",
    "object-data": "{}",
    "style-element": "{}",
    "style-attribute": "{}",
    "base-href": "{}",
    "meta-refresh": "{}",
    "form-phishing": "{}",
    "nul": "{}",
}
TEXT = dict(HOSTILE)


@pytest.mark.parametrize(("name", "template"), ACTIVE.items(), ids=list(ACTIVE))
def test_a_hostile_string_left_unescaped_is_found(name, template):
    page = f"<!doctype html><html><body>{template.format(TEXT[name])}</body></html>"

    assert active_content(page)


@pytest.mark.parametrize(("name", "template"), ACTIVE.items(), ids=list(ACTIVE))
def test_the_same_string_escaped_is_harmless_and_shown(name, template):
    if template.startswith("<a href") or "json" in template:  # as text, as our pages show them
        template = "<p>{}</p>"
    page = f"<!doctype html><html><body>{template.format(escape(TEXT[name]))}</body></html>"

    assert not active_content(page)
    assert shows(page, TEXT[name])


def test_every_markup_string_of_the_sweep_is_covered_here():
    markup = {name for name, text in HOSTILE if "<" in text or ":" in text.split("(")[0]}
    # Markup only to a filter that strips "<script>", or no markup at all.
    harmless_as_they_are = {"nested-script", "markdown-link", "css-expression", "header-injection"}
    assert markup - set(ACTIVE) <= harmless_as_they_are, markup - set(ACTIVE)
