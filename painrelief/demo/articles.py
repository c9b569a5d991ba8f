"""Demo articles: a category tree, tags, Pillow-drawn hero pictures, one long guide and downloads.

Everything is keyed so that seeding again adds only what is missing: articles by slug,
categories by path, tags by name, downloads by title.
"""

import io
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
from articles.rendering import render_markdown
from articles.services import set_hero_image
from painrelief.downloads.models import Resource

# Renditions cost about a quarter of a second a picture (a resize and an encode per width and
# format), so only the first articles get one; the rest are bulk-created without, which keeps
# `--articles 500` to a few seconds.
ILLUSTRATED = 12

# (name, parent name, description); parents come before their children.
CATEGORIES = [
    (
        "Upper back pain",
        None,
        "Aches, tightness and knots between the neck and the bottom of the shoulder blades.",
    ),
    (
        "Shoulder pain",
        "Upper back pain",
        "Sore shoulders, often fed by trigger points in the upper back and a tight chest.",
    ),
    (
        "Between the shoulder blades",
        "Upper back pain",
        "The stubborn knot beside the spine, and why it keeps coming back.",
    ),
    ("Neck pain", None, "Neck pain from desks, phones, pillows and stress."),
    ("Stiff neck", "Neck pain", "Waking up unable to turn your head, and how to loosen it."),
    (
        "Tension headaches",
        "Neck pain",
        "Headaches that start in the neck and shoulders, and the muscles behind them.",
    ),
    ("Lower back pain", None, "Everyday lower back ache from sitting, lifting and sleeping."),
    (
        "Chest and posture",
        None,
        "Rounded shoulders, a tight chest and shallow breathing: the front side of back pain.",
    ),
]

TAGS = [
    "knots",
    "trigger points",
    "posture",
    "stretching",
    "heat",
    "self-massage",
    "desk work",
    "sleep",
    "breathing",
    "stress",
]


@dataclass(frozen=True)
class Problem:
    phrase: str
    category: str
    tags: list[str]
    where: str  # where the hero picture's warm glow sits, in words for its alt text
    spot: tuple[int, int]  # and in pixels, on the 400x225 sketch
    causes: list[str]
    steps: list[str]


PROBLEMS = {
    "shoulder-blade": Problem(
        phrase="a knot between the shoulder blade and the spine",
        category="Between the shoulder blades",
        tags=["knots", "trigger points", "self-massage", "posture"],
        where="beside the spine, between the shoulder blades",
        spot=(184, 96),
        causes=[
            "Shoulders rounded forward over a laptop for hours.",
            "A tight chest pulling the shoulder blades apart.",
            "Breathing high in the chest instead of the belly.",
            "Carrying a bag on the same shoulder every day.",
        ],
        steps=[
            "Lean against a tennis ball on the wall for sixty seconds, breathing slowly.",
            "Squeeze the shoulder blades back and down ten times, letting go completely.",
            "Stretch the chest in a doorway for thirty seconds.",
            "Warm the area with a hot shower before you work on it.",
        ],
    ),
    "upper-back": Problem(
        phrase="upper back tightness",
        category="Upper back pain",
        tags=["knots", "breathing", "stretching", "heat"],
        where="across the upper back",
        spot=(200, 78),
        causes=[
            "Long stretches of sitting still.",
            "Bracing the shoulders when you are stressed.",
            "Shallow breathing that keeps the upper back working.",
            "Sudden effort after a long day of stillness.",
        ],
        steps=[
            "Take ten slow belly breaths, longer out than in.",
            "Do five thread-the-needle rotations on each side.",
            "Roll the upper back over a rolled towel on the floor.",
            "Apply a heat pack for fifteen minutes in the evening.",
        ],
    ),
    "shoulder": Problem(
        phrase="a sore shoulder",
        category="Shoulder pain",
        tags=["trigger points", "stretching", "posture", "sleep"],
        where="on top of the right shoulder",
        spot=(284, 52),
        causes=[
            "Reaching forward for a mouse all day.",
            "Sleeping on the same side with the arm pulled in.",
            "Trigger points in the muscles around the shoulder blade.",
            "A tight chest that rolls the shoulder forward.",
        ],
        steps=[
            "Press the tender points around the shoulder blade with a ball against a wall.",
            "Do slow arm circles, small then large, ten each way.",
            "Hug a pillow when you sleep on your side.",
            "Bring the mouse and keyboard closer to your body.",
        ],
    ),
    "stiff-neck": Problem(
        phrase="a stiff neck",
        category="Stiff neck",
        tags=["stretching", "heat", "sleep", "posture"],
        where="at the side of the neck",
        spot=(214, 30),
        causes=[
            "A pillow that is too high or too flat.",
            "Sleeping on your front with the head turned.",
            "A cold draught on the neck.",
            "Looking down at a phone for long periods.",
        ],
        steps=[
            "Warm the neck with a shower or a wheat bag before moving it.",
            "Turn the head slowly, only as far as it goes without pain, five times each way.",
            "Tuck the chin gently and hold for five seconds, ten times.",
            "Check that your pillow keeps your neck level with your spine.",
        ],
    ),
    "headache": Problem(
        phrase="tension headaches",
        category="Tension headaches",
        tags=["trigger points", "stress", "breathing", "self-massage"],
        where="where the neck meets the skull",
        spot=(200, 18),
        causes=[
            "Trigger points in the upper trapezius and at the base of the skull.",
            "Clenching the jaw when concentrating.",
            "Long screen sessions without a break.",
            "Stress and short nights.",
        ],
        steps=[
            "Press the base of the skull with two tennis balls in a sock for two minutes.",
            "Drop the shoulders and unclench the jaw every time you notice them.",
            "Breathe in for four seconds and out for six, ten times.",
            "Stand up and look into the distance every forty minutes.",
        ],
    ),
    "neck": Problem(
        phrase="neck pain",
        category="Neck pain",
        tags=["posture", "desk work", "self-massage", "stress"],
        where="at the base of the neck",
        spot=(200, 34),
        causes=[
            "A screen set too low.",
            "The head drifting forward as the day goes on.",
            "Holding a phone between ear and shoulder.",
            "Stress that lifts the shoulders towards the ears.",
        ],
        steps=[
            "Raise the screen so its top is at eye level.",
            "Glide the chin back ten times an hour.",
            "Massage the top of the shoulders with a ball against a door frame.",
            "Roll the shoulders back five times whenever you stand up.",
        ],
    ),
    "lower-back": Problem(
        phrase="lower back ache",
        category="Lower back pain",
        tags=["stretching", "heat", "desk work", "sleep"],
        where="in the lower back",
        spot=(200, 200),
        causes=[
            "Sitting for hours with the pelvis tucked under.",
            "Weak glutes that leave the back to do the lifting.",
            "Tight hip flexors from sitting.",
            "A mattress that lets the hips sink.",
        ],
        steps=[
            "Lie on your back and rock the knees gently side to side for a minute.",
            "Stretch the hip flexors in a half-kneeling lunge, thirty seconds each side.",
            "Get up and walk for two minutes every half hour.",
            "Rest with a heat pack on the lower back for fifteen minutes.",
        ],
    ),
    "posture": Problem(
        phrase="rounded shoulders",
        category="Chest and posture",
        tags=["posture", "stretching", "desk work", "breathing"],
        where="in front of both shoulders",
        spot=(200, 58),
        causes=[
            "A tight chest from hours of typing.",
            "Weak muscles between the shoulder blades.",
            "A laptop on the lap or the sofa.",
            "Slumping when tired at the end of the day.",
        ],
        steps=[
            "Stretch the chest in a doorway for thirty seconds, three times.",
            "Do two sets of twelve band rows.",
            "Slide your arms up and down a wall, ten times, slowly.",
            "Set an hourly reminder to sit back in your chair.",
        ],
    ),
    "chest": Problem(
        phrase="a tight chest",
        category="Chest and posture",
        tags=["breathing", "stretching", "posture", "stress"],
        where="across the upper chest",
        spot=(200, 66),
        causes=[
            "Shallow breathing high in the chest.",
            "Arms forward all day at a keyboard or a steering wheel.",
            "Sleeping curled up on one side.",
            "Stress that keeps the chest braced.",
        ],
        steps=[
            "Lie on a rolled towel along the spine with the arms open for two minutes.",
            "Breathe into the belly and the lower ribs, ten slow breaths.",
            "Stretch the chest in a doorway with the arms at three heights.",
            "Massage below the collarbone gently with your fingertips.",
        ],
    ),
}

INTROS = [
    "If you live with {phrase}, you are in good company: it is one of the things I hear about "
    "most often from the people I coach. It is uncomfortable and tiring, but it usually has "
    "simple causes, and simple habits can change it.",
    "Most of the clients who come to me with {phrase} have tried rubbing it, stretching it and "
    "ignoring it. What helps is understanding why the muscles are working so hard, and then "
    "giving them a reason to let go.",
    "{Phrase} rarely comes out of nowhere. It builds over days of small habits, which is good "
    "news: the same small habits, turned around, are what make it go away and stay away.",
]
WHY = (
    "Muscles ache and knot when they are asked to work for long periods without a break, or to "
    "hold a position they were not built for. These are the usual suspects:"
)
WHAT_HELPS = (
    "You don't need special equipment or an hour a day. Try this for a week, a few minutes at "
    "a time, and notice what changes:"
)
CHECK = (
    "Muscle pain changes when you move and feels better with warmth. See a doctor promptly if "
    "the pain came with chest pain, breathlessness or a fever, after a fall, with numbness or "
    "weakness in an arm or leg, or if it wakes you at night whatever position you are in."
)
CLOSING = [
    "Be patient with yourself: a habit that took years to build takes a few weeks to change.",
    "Write to me in the comments if something here does not work for you; I read every one.",
    "Small and often beats long and rare: two minutes a few times a day is plenty.",
]


@dataclass(frozen=True)
class FirstArticle:
    """A hand-written article among the first ones: the ones with pictures and special states."""

    title: str
    problem: str
    summary: str = ""
    status: str = Article.Status.PUBLISHED
    days_ago: float = 0
    featured: bool = False
    resource: str = ""


LONG_TITLE = "How to get rid of the knot between your shoulder blade and spine"
TENNIS_BALL_TITLE = "Self-massage with a tennis ball: a beginner's guide"
EMAIL_RESOURCE = "The 10-minute knot release routine"
FREE_RESOURCE = "Desk posture reset checklist"

FIRST_ARTICLES = [
    FirstArticle(
        LONG_TITLE,
        "shoulder-blade",
        featured=True,
        days_ago=2,
        resource=EMAIL_RESOURCE,
        summary="Why that hard, aching spot beside your spine keeps coming back, and the "
        "ten-minute routine of pressure, movement and breathing that releases it.",
    ),
    FirstArticle(
        TENNIS_BALL_TITLE,
        "upper-back",
        days_ago=9,
        summary="All you need is a tennis ball, a sock and a wall: where to press, how hard "
        "and for how long.",
    ),
    FirstArticle(
        "Why your neck hurts more on Monday mornings",
        "stiff-neck",
        status=Article.Status.DRAFT,
    ),
    FirstArticle(
        "Heat or ice for a stiff neck? What actually helps",
        "stiff-neck",
        days_ago=-6,
        summary="Warmth relaxes a stiff neck; ice is for fresh injuries. How to use both well.",
    ),
    FirstArticle(
        "The desk setup that keeps your shoulders out of your ears",
        "neck",
        days_ago=16,
        resource=FREE_RESOURCE,
        summary="Screen height, chair, keyboard and breaks: the four changes that matter most.",
    ),
    FirstArticle(
        "Tension headaches that start in your neck: five things to try", "headache", days_ago=23
    ),
    FirstArticle("Lower back ache after sitting all day", "lower-back", days_ago=31),
    FirstArticle(
        "Rounded shoulders: stretch the front, strengthen the back", "posture", days_ago=40
    ),
    FirstArticle("Breathing into your belly to relax your upper back", "chest", days_ago=48),
    FirstArticle("A pillow and sleeping position guide for neck pain", "stiff-neck", days_ago=57),
    FirstArticle(
        "Shoulder pain that isn't your shoulder: trigger points in the upper back",
        "shoulder",
        days_ago=66,
    ),
    FirstArticle("A five-minute morning routine for a stiff back", "lower-back", days_ago=75),
]

# Titles for the articles past the hand-written ones: pattern x problem x reader.
TITLE_PATTERNS = [
    "5 gentle ways to ease {phrase}",
    "The real cause of {phrase}",
    "A 10-minute routine for {phrase}",
    "Heat or ice for {phrase}?",
    "Sleeping positions that help with {phrase}",
    "Self-massage for {phrase}",
    "Breathing exercises for {phrase}",
    "The desk habits behind {phrase}",
    "Two-minute stretches for {phrase}",
    "What a client taught me about {phrase}",
    "Myths about {phrase}",
]
READERS = [
    "",
    " for desk workers",
    " for new parents",
    " for runners",
    " after a long drive",
    " for musicians",
    " for people over 60",
    " for gardeners",
    " for students",
]

PALETTES = [
    ("soft teal", "#cfeee9", "#5fa8a0"),
    ("warm peach", "#fde5d2", "#e79a74"),
    ("lavender", "#ece6fa", "#9b8dc9"),
    ("sage green", "#e3efdc", "#86a877"),
    ("sky blue", "#ddeefb", "#6b9fd1"),
    ("sand", "#f6ecd9", "#c9a46b"),
    ("rose", "#fbe3e8", "#d28a9b"),
    ("slate blue", "#e0e6ef", "#6f82a3"),
    ("mint", "#dff7ec", "#6cbf99"),
    ("apricot", "#fff0dc", "#eba35a"),
    ("lilac grey", "#eeeaf1", "#9c8fa8"),
    ("ocean", "#d7ecf3", "#3f8aa6"),
]


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
    resource: str = ""
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
                resource=first.resource,
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
    if plan.title == LONG_TITLE:
        link = reverse("articles:detail", kwargs={"slug": slugify(TENNIS_BALL_TITLE)})
        return LONG_ARTICLE.replace("{link}", link)
    problem, i = plan.problem, plan.index
    intro = INTROS[i % len(INTROS)]
    causes = [problem.causes[(i + k) % 4] for k in range(3)]
    steps = [problem.steps[(i + k) % 4] for k in range(3)]
    return "\n".join(
        [
            intro.replace("{Phrase}", problem.phrase[0].upper() + problem.phrase[1:]).replace(
                "{phrase}", problem.phrase
            ),
            "",
            "## Why it happens",
            "",
            WHY,
            "",
            *(f"- {cause}" for cause in causes),
            "",
            "## What helps",
            "",
            WHAT_HELPS,
            "",
            *(f"{n}. {step}" for n, step in enumerate(steps, 1)),
            "",
            "## When to get it checked",
            "",
            CHECK,
            "",
            CLOSING[i % len(CLOSING)],
            "",
        ]
    )


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
        resource=_resource(plan.resource) if plan.resource else None,
    )


def _create_illustrated(plan: Plan, *, author, categories, tags) -> None:
    palette = PALETTES[plan.index % len(PALETTES)]
    article = _article(plan, author=author, categories=categories)
    article.hero_alt = (
        f"Illustration on a {palette[0]} background: a stylised spine and shoulder blades, "
        f"with a warm glow {plan.problem.where}."
    )
    article.save()
    article.tags.set([tags[name] for name in plan.tags])
    upload = SimpleUploadedFile(
        f"{plan.slug}.jpg", _hero_jpeg(palette, plan.problem.spot), content_type="image/jpeg"
    )
    set_hero_image(article=article, upload=upload)


def _bulk_create(plans: list[Plan], *, author, categories, tags) -> None:
    """Articles without pictures in a few queries: bulk_create skips save(), so render here."""
    articles = []
    for plan in plans:
        article = _article(plan, author=author, categories=categories)
        rendered = render_markdown(article.body)
        article.body_html = rendered.html
        article.plain_text = rendered.text
        article.excerpt = rendered.excerpt
        article.reading_minutes = rendered.reading_minutes
        articles.append(article)
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


def _resource(title: str) -> Resource:
    resource = Resource.objects.filter(title=title).first()
    if resource is None:
        description, access, pages = RESOURCES[title]
        resource = Resource(title=title, description=description, access=access)
        resource.file.save(f"{slugify(title)}.pdf", ContentFile(_pdf(title, pages)), save=True)
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
            f"Page {number} of {len(pages)}  ·  Demo content: not medical advice",
            font=text_font,
            fill="#777777",
        )
        images.append(page)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=100)
    return out.getvalue()


RESOURCES = {
    EMAIL_RESOURCE: (
        "Two printable pages: the ball technique, three movements, the breathing and a "
        "two-week checklist to release the knot between your shoulder blade and spine.",
        Resource.Access.EMAIL,
        [
            [
                (
                    "Before you start (1 minute)",
                    [
                        "Warm the upper back: a hot shower or a heat pack for a few minutes.",
                        "Put a tennis ball in a sock and stand with your back to a wall.",
                        "Stop and see a doctor if the pain comes with chest pain, breathlessness, "
                        "numbness in an arm, a fever, or after a fall.",
                    ],
                ),
                (
                    "1. Pressure against the wall (4 minutes)",
                    [
                        "Place the ball between the spine and the shoulder blade, "
                        "never on the spine.",
                        "Lean back to a pressure of about 6 out of 10.",
                        "Breathe slowly and wait 30 to 90 seconds until the spot softens.",
                        "Move the ball a centimetre up or down; treat two or three spots.",
                    ],
                ),
                (
                    "2. Movement (3 minutes)",
                    [
                        "Shoulder blade squeezes: back and down, hold 3 seconds, 10 times.",
                        "Thread the needle: 5 times each side.",
                        "Doorway chest stretch: 30 seconds, twice.",
                    ],
                ),
                (
                    "3. Breathing (2 minutes)",
                    [
                        "One hand on the belly, one on the chest.",
                        "In through the nose for 4 seconds, out for 6 seconds, 10 breaths.",
                        "Let the shoulders drop a little further with every breath out.",
                    ],
                ),
            ],
            [
                (
                    "Your two-week checklist",
                    [
                        f"Day {day}: routine done  [  ]   knot today, 0 to 10: ____"
                        for day in range(1, 15)
                    ],
                ),
                (
                    "Habits that keep it away",
                    [
                        "Top of the screen at eye level; keyboard and mouse close.",
                        "Stand up every 30 to 45 minutes and roll the shoulders back.",
                        "Band rows and wall slides twice a week.",
                        "Hug a pillow when you sleep on your side.",
                    ],
                ),
            ],
        ],
    ),
    FREE_RESOURCE: (
        "One printable page: the screen, chair, keyboard and break settings that take the load "
        "off your neck and shoulders.",
        Resource.Access.FREE,
        [
            [
                (
                    "Screen",
                    [
                        "The top of the screen at eye level, an arm's length away.",
                        "A laptop on a stand or a stack of books, with a separate keyboard.",
                    ],
                ),
                (
                    "Chair",
                    [
                        "Sit all the way back; feet flat on the floor or on a footrest.",
                        "Hips slightly higher than the knees.",
                    ],
                ),
                (
                    "Keyboard and mouse",
                    [
                        "Close to the body, elbows by your sides at about 90 degrees.",
                        "Wrists straight, shoulders low.",
                    ],
                ),
                (
                    "Breaks",
                    [
                        "Every 30 to 45 minutes: stand, roll the shoulders back 5 times.",
                        "Three slow belly breaths, longer out than in.",
                        "Look out of the window for twenty seconds.",
                    ],
                ),
            ],
        ],
    ),
}

LONG_ARTICLE = """\
You know the spot. A hard, aching point just beside your spine, level with the middle of your \
shoulder blade, that you try to reach over your shoulder with two fingers. It is usually worse at \
the end of a working day, it sometimes burns, and it can send a dull ache up into your neck or \
around to the front of your shoulder. Most of the people who write to me describe it in the same \
words: "a knot I can't get rid of."

The good news is that this knot is rarely a sign of anything serious, and you can nearly always \
release it yourself. The less good news is that rubbing it harder is not the answer. In this \
guide I will explain what the knot actually is, why it keeps coming back, and the simple routine \
I teach my clients to release it and keep it away.

## What the knot actually is

The muscles between your shoulder blade and your spine are mostly the **rhomboids** and the \
middle fibres of the **trapezius**, with the **levator scapulae** running up from the top corner \
of the shoulder blade to the neck. Their job is to hold your shoulder blades in place and to pull \
them back and together whenever you use your arms.

A "knot" is a small area of muscle that stays contracted when the rest of the muscle has relaxed. \
Therapists call it a trigger point. It feels like a pea or a tight band under your fingers, it is \
tender when you press it, and pressing it often reproduces the ache you know, sometimes in a \
place a few centimetres away. That spreading is called referred pain, and it is why one knot \
beside the spine can make the whole upper back feel tired and heavy.

### Why this spot in particular

Unlike the muscles at the front of your body, the muscles between the shoulder blades rarely get \
to shorten and rest. When your shoulders round forward, they are stretched and working at the \
same time, holding your arms and your head up all day long. A muscle that is overstretched and \
overworked runs short of blood and oxygen, and that is the perfect ground for a knot.

## Why it keeps coming back

If you have released the knot before with a massage and it was back two days later, that is \
normal. The knot is the symptom; the habits that load the muscle are the cause. These are the \
ones I see most often:

- **Long hours at a desk or laptop**, with the screen too low and the shoulders drifting forward.
- **A tight chest.** Short pectoral muscles pull the shoulders forward, and the muscles behind \
have to fight them all day.
- **Shallow breathing.** When you breathe into your upper chest instead of your belly, the neck \
and upper back muscles help lift the ribs with every breath: more than twenty thousand times a \
day.
- **Stress.** We brace our shoulders when we are anxious or in a hurry, often without noticing.
- **Sleeping on one side with the arm pulled in**, or on a pillow that is too high or too flat.
- **Sudden effort after long stillness**, like lifting a suitcase after a long drive.

You don't need to fix all of these at once. Pick the one or two that sound most like your days \
and start there.

## First, check that it really is a muscle knot

Muscle knots are common and harmless, but pain between the shoulder blades can occasionally come \
from somewhere else: the heart, the lungs, the gallbladder or a nerve in the neck. Please see a \
doctor promptly, and don't rely on self-massage, if:

- the pain came with chest pain, shortness of breath, sweating or nausea (call emergency \
services);
- you have numbness, tingling or weakness in an arm or a hand;
- the pain started after a fall or an accident;
- you have a fever, or you are losing weight without trying;
- the pain is there at night whatever position you are in, and doesn't change when you move.

A muscle knot, by contrast, changes when you move, feels better with warmth, and hurts in a small \
spot that you can find and press.

## How to release the knot

The method that works best for most people combines three things: steady pressure on the knot, \
movement that lets the muscle work and then relax, and breathing that switches off the bracing. \
Here is how to do each one.

### 1. Pressure with a ball against a wall

You don't need a therapist's hands for this. A tennis ball, or a firmer lacrosse ball once you \
are used to it, does the job very well.

1. Put the ball in a sock so you can hold it in place, and stand with your back to a wall.
2. Place the ball between your spine and your shoulder blade, on the knot. Never put it on the \
spine itself.
3. Lean back until you feel a pressure of about six out of ten: tender, but a "good" pain that \
still lets you breathe.
4. Stay still and breathe slowly. After 30 to 90 seconds you should feel the point soften or the \
ache fade.
5. Move the ball a centimetre up or down and repeat on the next tender spot. Two or three spots \
are enough for one session.

### 2. Movement: let the muscle work and relax

A knot stays released for longer when the muscle gets to move through its whole range \
afterwards. Right after the pressure, do these slowly:

- **Shoulder blade squeezes:** draw your shoulder blades back and down, hold for three seconds, \
then let go completely. Ten times.
- **Thread the needle:** on hands and knees, slide one arm under your body along the floor, let \
your shoulder and head rest, breathe, then open the arm towards the ceiling. Five times each side.
- **Doorway chest stretch:** forearms on the door frame at shoulder height, step forward until \
you feel the stretch across the chest. Hold for thirty seconds. This gives the muscles at the \
back a break from fighting a tight chest.

### 3. Breathing that switches off the bracing

Sit or lie comfortably, and put one hand on your belly and one on your chest. Breathe in through \
your nose for four seconds so that the belly hand rises and the chest hand barely moves, then \
breathe out for six seconds. Ten breaths like this tell your nervous system that it is safe to \
let the shoulders drop. Many of my clients feel the knot soften during the breathing, not during \
the massage.

> "I had been rubbing that spot for two years. What changed it was the ball against the wall \
every evening, and the belly breathing at my desk. After three weeks I noticed I had stopped \
reaching for it." Martha, an accountant I coached last spring

### Heat helps, ice rarely does

For a muscle knot, warmth is your friend. A hot shower on the upper back, or a heat pack for \
fifteen minutes before the ball, makes the tissue easier to release. Ice is for fresh injuries \
with swelling, which a knot is not.

## Watch the routine

I recorded the whole routine so you can follow along. It takes about ten minutes and you only \
need a tennis ball, a sock and a wall:

https://youtu.be/4pKly2JojMw

## Keep it from coming back

Once the knot has released, a few small habits keep it away. You don't need an hour at the gym: \
two or three minutes, several times a day, do more than one long session a week.

### At your desk

- Raise the screen so that the top of it is at eye level; a stack of books under a laptop works.
- Sit all the way back in your chair with your feet flat and your elbows close to your sides.
- Every 30 to 45 minutes, stand up, roll your shoulders back five times and take three belly \
breaths.

### Strengthen the muscles behind

A muscle that is strong enough for its job knots far less often. Twice a week:

1. **Band rows:** three sets of twelve, squeezing the shoulder blades together at the end of each \
pull.
2. **Y-T-W raises** lying face down, thumbs up, with no weight at first: two sets of eight of \
each letter.
3. **Wall slides:** back and arms against a wall, slide the arms up and down slowly, two sets of \
ten.

### At night

If you sleep on your side, hug a pillow so that your top arm and shoulder don't roll forward. \
Choose a pillow that keeps your neck level with the rest of your spine.

## How long does it take?

Most people feel a clear difference after the first session, and the knot is much quieter within \
one to three weeks of doing the routine every day. If it has been there for years, give it six \
weeks, and be patient with the habits: they are what make the change last. If nothing has \
changed after three weeks of regular practice, or if the pain gets worse, see a physiotherapist \
or your doctor.

If the knot sits higher, where the neck meets the shoulder, read \
[my beginner's guide to self-massage with a tennis ball]({link}) as well: the same ideas, adapted \
to the top of the back.

## Your ten-minute routine on paper

To make it easy, I have put the whole routine on two printable pages: the ball technique, the \
three movements, the breathing and a two-week checklist to tick off. Ask for it below and I will \
email it to you.
"""
