"""Markdown to safe HTML: the one renderer of article bodies and answers, and its live preview.

The Markdown output goes through an allow-list sanitizer (nh3). Video embeds are added only
after sanitizing, built by our own code from a validated video id, so no iframe written by
hand ever survives and only YouTube (no-cookie) and Vimeo players can be embedded.
"""

import html
import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import nh3
from django.apps import apps
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.utils.html import format_html, strip_tags
from django.utils.text import Truncator, slugify
from django.views.decorators.http import require_POST
from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from painrelief.images import picture_html

WORDS_PER_MINUTE = 220
EXCERPT_WORDS = 45

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "s",
    "section",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
    # Heading ids are the table-of-contents anchors; footnotes link by id too.
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "li": {"id"},
    "sup": {"id"},
}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel=None,  # no target attribute is allowed, so links cannot open a window we lose
    strip_comments=True,
    set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}},
)

# A paragraph holding nothing but one link: "<p>URL</p>", "<p><a href="URL">URL</a></p>", or
# "<p><a href="URL">Title</a></p>" (Markdown's `[Title](URL)`, whose text titles the video).
_LONE_LINK = re.compile(r'<p>(?:(https?://[^\s<>"]+)|<a href="(https?://[^"<>]+)">([^<]*)</a>)</p>')
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{1,12}$")
_VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")
_TIME = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")
_PARAGRAPH = re.compile(r"<p>.*?</p>", re.S)
_BLOCK_END = re.compile(r"(</(?:p|h\d|li|blockquote|pre|td|th|figcaption|dd|dt)>|<br\s*/?>)")

FRAME_SOURCES = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")


@dataclass(frozen=True)
class Rendered:
    html: str
    text: str
    excerpt: str
    reading_minutes: int


def _headings_below_the_title(state) -> None:
    """Make `#` headings h2 (the page title is the only h1) and give every heading an anchor."""
    used: set[str] = set()
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type not in ("heading_open", "heading_close"):
            continue
        if token.tag == "h1":
            token.tag = "h2"
        if token.type == "heading_open":
            base = slugify(tokens[index + 1].content)[:60] or "section"
            anchor, n = base, 1
            while anchor in used:
                n += 1
                anchor = f"{base}-{n}"
            used.add(anchor)
            token.attrSet("id", anchor)


# CommonMark (markdown-it) rather than Python-Markdown: it stays linear on hostile input, where
# Python-Markdown took 94 s on 20,000 nested brackets and overflowed the stack on a deep list.
_markdown = (
    # linkify: a bare web address (as people paste them) becomes a link, as on most sites.
    MarkdownIt("commonmark", {"html": True, "maxNesting": 20, "linkify": True})
    .enable(["table", "strikethrough", "linkify"])
    .use(footnote_plugin)
    .use(deflist_plugin)
)
_markdown.core.ruler.push("headings_below_the_title", _headings_below_the_title)


def render_markdown(source: str) -> Rendered:
    """The coach's Markdown as sanitized HTML, with its plain text, excerpt and reading time."""
    source = source.replace("\x00", "")
    safe_html = embed_videos(responsive_pictures(_cleaner.clean(_markdown.render(source))))
    text = plain_text(safe_html)
    words = len(text.split())
    # The excerpt is made of paragraphs: a heading glued to the next sentence reads badly.
    paragraphs = plain_text(" ".join(_PARAGRAPH.findall(safe_html))) or text
    return Rendered(
        html=safe_html,
        text=text,
        excerpt=Truncator(paragraphs).words(EXCERPT_WORDS, truncate="…"),
        reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
    )


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, with blocks separated, for search, excerpts and counts."""
    return " ".join(html.unescape(strip_tags(_BLOCK_END.sub(r"\1 ", fragment))).split())


_IMG = re.compile(r"<img\b[^>]*>")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
BODY_IMAGE_SIZES = "(min-width: 992px) 800px, 100vw"


def responsive_pictures(safe_html: str) -> str:
    """Serve pictures uploaded to the picture library with their renditions and dimensions."""
    # The picture library is the articles app's; answers paste its pictures too.
    Picture = apps.get_model("articles", "Picture")

    media = re.escape(default_storage.url("articles/"))
    own = re.compile(rf"^{media}([0-9a-f]{{16}})/\d+\.(?:jpeg|webp)$")
    found = {}
    for tag in _IMG.findall(safe_html):
        attributes = dict(_ATTRIBUTE.findall(tag))
        match = own.match(html.unescape(attributes.get("src", "")))
        if match:
            found[tag] = (f"articles/{match.group(1)}", html.unescape(attributes.get("alt", "")))
    if not found:
        return safe_html
    folders = [folder for folder, _ in found.values()]
    pictures = Picture.objects.in_bulk(folders, field_name="folder")
    for tag, (folder, alt) in found.items():
        if folder in pictures:
            picture = pictures[folder]
            safe_html = safe_html.replace(
                tag,
                picture_html(picture.renditions, alt=alt or picture.alt, sizes=BODY_IMAGE_SIZES),
            )
    return safe_html


def embed_videos(safe_html: str) -> str:
    return _LONE_LINK.sub(_embed_or_keep, safe_html)


def _embed_or_keep(match: re.Match) -> str:
    """A video as a placeholder that loads nothing from the video site until the reader
    presses play (static/js/video.js puts the player in); without JavaScript, the link."""
    bare, href, text = match.groups()
    url = html.unescape(bare or href)
    player = video_player_url(url)
    if player is None:
        return match.group(0)
    site = "YouTube" if "youtube" in player else "Vimeo"
    label = html.unescape(text or "")
    title = label if label and label != url else f"A video on {site}"
    return format_html(
        '<figure class="video-embed" data-player="{}" data-title="{}">'
        '<div class="ratio ratio-16x9 video-placeholder">'
        '<button type="button" class="video-play" hidden>'
        '<span class="video-play-icon" aria-hidden="true"></span>'
        '<span class="video-title">{}</span>'
        '<span class="video-notice">Pressing play loads the video from {}.</span>'
        "</button>"
        '<p class="video-no-script">{}</p>'
        "</div>"
        '<figcaption><a href="{}">Watch the video on {}</a></figcaption></figure>',
        player,
        title,
        title,
        site,
        title,
        url,
        site,
    )


def video_player_url(url: str) -> str | None:
    """The privacy-friendly player address for a YouTube or Vimeo link, else None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    query = parse_qs(parts.query)
    if host in {"youtube.com", "youtube-nocookie.com", "youtu.be"}:
        if host == "youtu.be" and len(segments) == 1:
            video_id = segments[0]
        elif segments == ["watch"]:
            video_id = query.get("v", [""])[0]
        elif len(segments) == 2 and segments[0] in {"embed", "shorts", "live", "v"}:
            video_id = segments[1]
        else:
            return None
        if not _YOUTUBE_ID.match(video_id):
            return None
        start = _seconds(query.get("t", query.get("start", [""]))[0])
        suffix = f"?start={start}" if start else ""
        return f"https://www.youtube-nocookie.com/embed/{video_id}{suffix}"
    if host in {"vimeo.com", "player.vimeo.com"}:
        if segments[:1] == ["video"]:
            segments = segments[1:]
        if not segments or not _VIMEO_ID.match(segments[0]) or len(segments) > 2:
            return None
        private_hash = segments[1] if len(segments) == 2 else query.get("h", [""])[0]
        params = "dnt=1"
        if private_hash:
            if not _VIMEO_HASH.match(private_hash):
                return None
            params = f"h={private_hash}&dnt=1"
        return f"https://player.vimeo.com/video/{segments[0]}?{params}"
    return None


def _seconds(value: str) -> int:
    match = _TIME.match(value.strip())
    if not value or not match:
        return 0
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


@require_POST
def preview_response(request) -> JsonResponse:
    """The Markdown in POST["body"] as the site renders it, for the admin's live previews.

    The admin views that call it check the permission."""
    return JsonResponse({"html": render_markdown(request.POST.get("body", "")).html})
