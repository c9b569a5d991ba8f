"""Demo articles: a category tree, tags, Pillow-drawn hero pictures, one long guide and downloads.

What they say is in data/articles.toml and data/downloads.toml; this module puts it together.
Everything is keyed so that seeding again adds only what is missing: articles by slug,
categories by path, tags by name, downloads by title.
"""

import io
import re
import textwrap
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from articles.models import Article, Category, Tag
from articles.services import set_hero_image
from painrelief.demo import load
from painrelief.downloads.models import Resource
from painrelief.rendered import render_each_source_once

# Renditions cost about a quarter of a second a picture (a resize and an encode per width and
# format), so only the first articles get one; the rest are bulk-created without, which keeps
# `--articles 500` to a few seconds.
ILLUSTRATED = 12

# `[label](article:key)` in a demo text links to the first article with that key.
ARTICLE_LINK = re.compile(r"\[([^\]]+)\]\(article:([\w-]+)\)")


@dataclass(frozen=True)
class Problem:
    phrase: str
    category: str
    tags: list[str]
    where: str  # where the hero picture's warm glow sits, in words for its alt text
    spot: tuple[int, int]  # and in pixels, on the 400x225 sketch
    causes: list[str]
    steps: list[str]


@dataclass(frozen=True)
class FirstArticle:
    """A hand-written article among the first ones: the ones with pictures and special states."""

    key: str  # for `article:key` links
    title: str
    problem: str
    summary: str = ""
    status: str = Article.Status.PUBLISHED
    days_ago: float = 0
    featured: bool = False
    download: str = ""  # a key of DOWNLOADS
    body: str = ""  # left empty, the body is put together from the problem


@dataclass(frozen=True)
class Download:
    """A printable PDF report: pages of headed sections of bullet points."""

    title: str
    description: str
    access: str
    pages: list[list[tuple[str, list[str]]]]


_articles = load("articles.toml")
CATEGORIES = [
    (category["name"], category.get("parent"), category["description"])
    for category in _articles["categories"]
]
TAGS = _articles["tags"]
PROBLEMS = {
    key: Problem(**problem | {"spot": tuple(problem["spot"])})
    for key, problem in _articles["problems"].items()
}
FIRST_ARTICLES = [
    FirstArticle(
        **first
        | {
            "status": Article.Status(first.get("status", Article.Status.PUBLISHED)),
            "body": _articles["bodies"].get(first["key"], ""),
        }
    )
    for first in _articles["first_articles"]
]
TITLES = {first.key: first.title for first in FIRST_ARTICLES}
GENERATED = _articles["generated"]
TITLE_PATTERNS, READERS = GENERATED["title_patterns"], GENERATED["readers"]
INTROS, CLOSINGS = GENERATED["intros"], GENERATED["closings"]
PALETTES = [tuple(palette) for palette in _articles["pictures"]["palettes"]]
HERO_ALT = _articles["pictures"]["hero_alt"]

_downloads = load("downloads.toml")
PDF_FOOTER = _downloads.pop("footer")
DOWNLOADS = {
    key: Download(
        title=download["title"],
        description=download["description"],
        access=Resource.Access(download["access"]),
        pages=[
            [
                (section["heading"], section["lines"])
                for section in download["sections"]
                if section["page"] == number
            ]
            for number in sorted({section["page"] for section in download["sections"]})
        ],
    )
    for key, download in _downloads.items()
}


@dataclass
class Plan:
    index: int
    title: str
    problem: Problem
    status: str
    published_at: datetime | None
    slug: str = ""
    summary: str = ""
    featured: bool = False
    download: str = ""
    body: str = ""
    tags: list[str] = field(default_factory=list)


def seed_articles(count: int, *, author) -> int:
    """Make sure the first `count` demo articles exist; return how many were created.

    The long guide is the first; a link in it points to the second article.
    """
    if count <= 0:
        return 0
    categories = _seed_categories()
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in TAGS}
    existing = set(Article.objects.values_list("slug", flat=True))
    new = [plan for plan in _plans(count) if plan.slug not in existing]
    illustrated = [plan for plan in new if plan.index < ILLUSTRATED]
    for plan in illustrated:
        _create_illustrated(plan, author=author, categories=categories, tags=tags)
    _bulk_create(
        [plan for plan in new if plan.index >= ILLUSTRATED],
        author=author,
        categories=categories,
        tags=tags,
    )
    return len(new)


def _seed_categories() -> dict[str, Category]:
    categories: dict[str, Category] = {}
    for name, parent_name, description in CATEGORIES:
        parent = categories.get(parent_name)
        path = f"{parent.path}/{slugify(name)}" if parent else slugify(name)
        category = Category.objects.filter(path=path).first()
        if category is None:
            category = Category.objects.create(name=name, parent=parent, description=description)
        categories[name] = category
    return categories


def _plans(count: int) -> list[Plan]:
    now = timezone.now()
    plans = []
    for index in range(count):
        if index < len(FIRST_ARTICLES):
            first = FIRST_ARTICLES[index]
            published = first.status == Article.Status.PUBLISHED
            plan = Plan(
                index,
                first.title,
                PROBLEMS[first.problem],
                first.status,
                now - timedelta(days=first.days_ago, hours=index) if published else None,
                summary=first.summary,
                featured=first.featured,
                download=first.download,
                body=first.body,
            )
        else:
            n = index - len(FIRST_ARTICLES)
            problem_key = list(PROBLEMS)[(n // len(TITLE_PATTERNS)) % len(PROBLEMS)]
            problem = PROBLEMS[problem_key]
            pattern = TITLE_PATTERNS[n % len(TITLE_PATTERNS)]
            rounds = n // (len(TITLE_PATTERNS) * len(PROBLEMS))
            title = pattern.format(phrase=problem.phrase) + READERS[rounds % len(READERS)]
            if rounds >= len(READERS):
                title += f" (part {rounds // len(READERS) + 1})"
            # Older than the hand-written ones, spread over the past two years.
            age = timedelta(days=80 + (index * 37) % 640, hours=index % 13)
            plan = Plan(
                index, title[0].upper() + title[1:], problem, Article.Status.PUBLISHED, now - age
            )
        # Two to four tags, starting at a different one of the problem's tags each time.
        rotated = plan.problem.tags[index % 4 :] + plan.problem.tags[: index % 4]
        plan.tags = rotated[: 2 + index % 3]
        plans.append(plan)
    taken: set[str] = set()
    for plan in plans:
        base = slugify(plan.title)[:190]
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        plan.slug = slug
        taken.add(slug)
    return plans


def _body(plan: Plan) -> str:
    if plan.body:
        return _with_links(plan.body)
    problem, i = plan.problem, plan.index
    phrase = problem.phrase
    intro = INTROS[i % len(INTROS)]
    return GENERATED["body"].format(
        intro=intro.replace("{Phrase}", phrase[0].upper() + phrase[1:]).replace("{phrase}", phrase),
        causes="\n".join(f"- {problem.causes[(i + k) % 4]}" for k in range(3)),
        steps="\n".join(f"{k + 1}. {problem.steps[(i + k) % 4]}" for k in range(3)),
        closing=CLOSINGS[i % len(CLOSINGS)],
    )


def _with_links(text: str) -> str:
    """The text with its `article:` links pointing at the demo articles' addresses."""

    def link(match: re.Match) -> str:
        slug = slugify(TITLES[match.group(2)])
        return f"[{match.group(1)}]({reverse('articles:detail', kwargs={'slug': slug})})"

    return ARTICLE_LINK.sub(link, text)


def _article(plan: Plan, *, author, categories) -> Article:
    return Article(
        title=plan.title,
        slug=plan.slug,
        author=author,
        summary=plan.summary,
        body=_body(plan),
        category=categories[plan.problem.category],
        status=plan.status,
        published_at=plan.published_at,
        featured=plan.featured,
        resource=_resource(plan.download) if plan.download else None,
    )


def _create_illustrated(plan: Plan, *, author, categories, tags) -> None:
    palette = PALETTES[plan.index % len(PALETTES)]
    article = _article(plan, author=author, categories=categories)
    article.hero_alt = HERO_ALT.format(palette=palette[0], where=plan.problem.where)
    article.save()
    article.tags.set([tags[name] for name in plan.tags])
    upload = SimpleUploadedFile(
        f"{plan.slug}.jpg", _hero_jpeg(palette, plan.problem.spot), content_type="image/jpeg"
    )
    set_hero_image(article=article, upload=upload)


def _bulk_create(plans: list[Plan], *, author, categories, tags) -> None:
    """Articles without pictures in a few queries: bulk_create skips save(), so render here
    (the generated articles share a hundred or so bodies: each is rendered once)."""
    articles = [_article(plan, author=author, categories=categories) for plan in plans]
    render_each_source_once(articles)
    # PostgreSQL and SQLite (3.37+ for Django 6) return the new primary keys.
    Article.objects.bulk_create(articles, batch_size=250)
    Through = Article.tags.through
    Through.objects.bulk_create(
        [
            Through(article_id=article.pk, tag_id=tags[name].pk)
            for plan, article in zip(plans, articles, strict=True)
            for name in plan.tags
        ],
        batch_size=500,
    )


def _hero_jpeg(palette: tuple[str, str, str], spot: tuple[int, int]) -> bytes:
    """A 1600x900 JPEG: a soft gradient, a sketched spine and shoulder blades, a warm glow."""
    _, top, bottom = palette
    # Drawn small and enlarged: the enlargement is what makes the shapes soft.
    size = (400, 225)
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), gradient)
    image = image.convert("RGBA")
    shapes = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(shapes)
    draw.ellipse((178, -30, 222, 12), fill=(255, 255, 255, 90))  # the back of the head
    draw.rounded_rectangle((110, 30, 290, 60), radius=15, fill=(255, 255, 255, 45))  # shoulders
    for left in (True, False):
        x = 128 if left else 216
        draw.polygon([(x, 58), (x + 56, 58), (x + 34, 150)], fill=(255, 255, 255, 70))
    for y in range(20, 215, 15):  # vertebrae
        draw.rounded_rectangle((192, y, 208, y + 11), radius=4, fill=(255, 255, 255, 150))
    glow = Image.new("RGBA", size, (0, 0, 0, 0))
    x, y = spot
    ImageDraw.Draw(glow).ellipse((x - 18, y - 18, x + 18, y + 18), fill=(255, 150, 90, 200))
    image = Image.alpha_composite(image, shapes)
    image = Image.alpha_composite(image, glow.filter(ImageFilter.GaussianBlur(9)))
    out = io.BytesIO()
    image.convert("RGB").resize((1600, 900), Image.Resampling.BICUBIC).save(out, "JPEG", quality=88)
    return out.getvalue()


def _resource(key: str) -> Resource:
    download = DOWNLOADS[key]
    resource = Resource.objects.filter(title=download.title).first()
    if resource is None:
        resource = Resource(
            title=download.title, description=download.description, access=download.access
        )
        pdf = _pdf(download.title, download.pages)
        resource.file.save(f"{slugify(download.title)}.pdf", ContentFile(pdf), save=True)
    return resource


def _pdf(title: str, pages: list[list[tuple[str, list[str]]]]) -> bytes:
    """A printable PDF: pages of headed sections, drawn with Pillow's built-in font."""
    width, height, margin = 827, 1169, 70  # A4 at 100 dpi
    title_font = ImageFont.load_default(size=34)
    heading_font = ImageFont.load_default(size=22)
    text_font = ImageFont.load_default(size=17)
    images = []
    for number, sections in enumerate(pages, 1):
        page = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(page)
        draw.rectangle((0, 0, width, 110), fill="#5fa8a0")
        draw.text((margin, 38), title, font=title_font, fill="white")
        y = 150
        for heading, lines in sections:
            draw.text((margin, y), heading, font=heading_font, fill="#2f5f5a")
            y += 38
            for line in lines:
                # The built-in font has no bullet character: the bullet is drawn.
                draw.ellipse((margin + 16, y + 8, margin + 23, y + 15), fill="#5fa8a0")
                for part in textwrap.wrap(line, 70):
                    draw.text((margin + 34, y), part, font=text_font, fill="#222222")
                    y += 26
            y += 22
        draw.text(
            (margin, height - 60),
            PDF_FOOTER.format(number=number, pages=len(pages)),
            font=text_font,
            fill="#777777",
        )
        images.append(page)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=100)
    return out.getvalue()
