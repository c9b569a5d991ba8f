"""Demo comments: threads of guests and readers talking about their aches, with the coach answering.

Comments are inserted with bulk_create, one level of the threads at a time (a reply needs its
parent's primary key), so the number of INSERT queries depends on the depth of the threads, not
on how many comments there are. bulk_create skips save(): the bodies are rendered here.

An article that already has comments is left alone, so seeding again adds nothing.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article
from painrelief.accounts.models import User
from painrelief.comments.models import Comment
from painrelief.comments.rendering import render_comment

# Replies nest four levels deep at most, below the site's COMMENTS_MAX_DEPTH.
MAX_DEPTH = 4
# Comments per INSERT: a few levels of 6,000 comments stay within one or two queries each.
BATCH_SIZE = 2000
# Top-level comments arrive over the month after publication, replies within days of their parent.
SPREAD = timedelta(days=30)

GUESTS = [
    "Hannah",
    "Marco B.",
    "Aisha",
    "Jonas",
    "Léa",
    "Ben K.",
    "Fatima",
    "Oliver",
    "Mei",
    "Dmitri",
    "Grace",
    "Kwame O.",
    "Sofia",
    "Liam",
    "Noor",
    "Pedro",
    "Ingrid S.",
    "Yusuf",
    "Chloe",
    "Ravi",
    "Zoë",
    "Tom W.",
    "Anika",
    "Mateo",
]


@dataclass(frozen=True)
class Opening:
    """A top-level comment, and the coach's answer to it when a generic one would not fit."""

    text: str
    answer: str = ""


OPENINGS = [
    Opening(
        "I've had a knot under my right shoulder blade for months. The tennis ball against the "
        "wall is the first thing that has made it soften at all. How often can I do it without "
        "making it sore?",
        "Once a day is plenty for the first week, {name}: two or three spots, a minute each. "
        "When it no longer feels tender the next morning, add an evening round.",
    ),
    Opening(
        "Is it normal for the spot to feel more tender the day after? I pressed quite hard and "
        "today it aches, but in a different way.",
        "Quite normal, {name}, and a sign you can go lighter. Aim for a pressure of about six "
        "out of ten, a 'good' pain you can still breathe through, and let the spot soften by "
        "itself instead of pushing.",
    ),
    Opening(
        "Heat or ice? My physio says heat, my friend at the gym swears by ice. After reading "
        "this I tried a hot shower before the stretches and it was much easier to move.",
        "For a muscle that is tight and knotted, heat every time. Ice is for a fresh injury "
        "with swelling, which a knot is not. Your shower before the stretches is exactly right.",
    ),
    Opening(
        "I work from the kitchen table on a laptop and my neck is stiff every evening. Raising "
        "the screen on two cookbooks has already made a difference in a week.\n\n"
        "Next step: a proper keyboard."
    ),
    Opening(
        "Does sleeping position really matter that much? I always wake up with my neck stuck on "
        "one side.",
        "It matters more than most people think, {name}. Check that your pillow keeps your neck "
        "level with your spine when you lie on your side, and hug a second pillow so the top "
        "shoulder doesn't roll forward.",
    ),
    Opening(
        "The doorway stretch is brilliant. I never thought my chest had anything to do with "
        "the ache in my upper back."
    ),
    Opening(
        "A little update for anyone in the same boat.\n\n"
        "Week one: the ball against the wall every evening, two minutes. The knot was still "
        "there but less angry.\n"
        "Week two: I added the belly breathing at my desk, with a reminder every hour.\n"
        "Week three: I noticed I had stopped reaching over my shoulder to rub it.\n\n"
        "Not magic, but it works if you keep at it."
    ),
    Opening(
        "How do I tell a muscle knot from something I should see a doctor about? The ache "
        "sometimes goes down into my arm and my fingers tingle.",
        "Please get that checked before working on it yourself, {name}: tingling in the "
        "fingers can come from a nerve in the neck rather than a muscle. Your GP is the right "
        "first stop, and the NHS page on neck pain lists the signs that need a doctor soon: "
        "https://www.nhs.uk/conditions/neck-pain/",
    ),
    Opening(
        "My tension headaches always start at the base of my skull around three in the "
        "afternoon. Two tennis balls in a sock under my head for a few minutes take the edge "
        "off better than a painkiller."
    ),
    Opening(
        "Thread the needle is my new favourite. Five on each side before bed and my upper back "
        "feels like it belongs to someone younger."
    ),
    Opening(
        "I drive for a living and my lower back is worst after long days. Any tips for the car? "
        "I can't exactly stop every half hour.",
        "You can still move while you sit, {name}: rock the pelvis gently forward and back at "
        "red lights, and squeeze the shoulder blades together for a few seconds. A small rolled "
        "towel behind the lower back helps too, and walk for two minutes at every stop.",
    ),
    Opening(
        "I tried the breathing exercise and felt silly at first, but my shoulders dropped a "
        "good two centimetres. I hadn't realised how high I was holding them."
    ),
    Opening(
        "Standing desk owner here. It helped, but only once I started switching between "
        "sitting and standing every forty minutes. Standing all day just moved the ache to my "
        "lower back."
    ),
    Opening(
        "New job, new chair, new pain between my shoulder blades. The armrests were pushing my "
        "shoulders up towards my ears. I lowered them and half the ache was gone by Friday."
    ),
]

COACH_REPLIES = [
    "Thank you, {name}. Go gently at first, and keep the small habits going even on the good "
    "days: that is what stops it coming back.",
    "Lovely to hear, {name}! Small and often beats long and rare: two minutes a few times a "
    "day is plenty.",
    "Hi {name}, if you are at a desk all day, set a reminder every forty minutes: stand up, "
    "roll the shoulders back five times, take three slow breaths. It adds up.",
    "Thanks for sharing, {name}. If it flares up again, here is what I would do for a week:\n"
    "- a hot shower on the upper back in the evening\n"
    "- the ball against the wall, two or three spots\n"
    "- the doorway stretch, thirty seconds twice\n\n"
    "Let me know how it goes.",
    "That's a good observation, {name}. Stress and posture feed each other: when you notice "
    "your shoulders creeping up, breathe out slowly and let them fall.",
    "One thing to keep in mind, {name}: if it ever wakes you at night, or comes with numbness "
    "or a fever, see your GP before anything else. The NHS page on back pain lists the signs "
    "to look out for: https://www.nhs.uk/conditions/back-pain/",
]

# Readers answering the coach.
FOLLOW_UPS = [
    "Thanks, {name}! I'll try that tonight.",
    "That makes sense, {name}. I'll go lighter and see how it feels tomorrow.",
    "Tried it for a week as you said. The knot is still there, but I can turn my head again "
    "without wincing.",
    "Update: two weeks in and I slept through the night without my neck locking. Thank you!",
    "Just to add what worked for me, in case it helps someone:\n\n"
    "Heat pack for ten minutes, then the stretches, then bed. Doing them in that order made "
    "the biggest difference.",
]

# Readers answering each other.
REPLIES = [
    "Same here, {name}. The ball in a sock trick changed everything for me.",
    "{name}, I had exactly that. What helped me was lowering my chair so my feet were flat "
    "on the floor.",
    "Good tip, {name}. I swapped my pillow for a lower one and my mornings are much better.",
    "I was sceptical about the breathing too, {name}, but it really does take the edge off "
    "at the end of the day.",
    "I had the laptop on the sofa every evening for a year. Moved to the table with a stand "
    "and it's better already.",
    "Ha, {name}, I thought I was the only one rubbing my back against door frames at work.",
    "Does anyone else find it worse in winter? I'm sure the cold makes my neck tighten.",
    "A physiotherapist showed me something similar, {name}, with a rolled towel under the "
    "upper back. Worth a try if the ball is too much at first.",
    "Thank you all, this thread has been more useful than I expected.",
]


@dataclass
class Author:
    name: str
    user: User | None = None
    email: str = ""
    website: str = ""


@dataclass
class Planned:
    """A comment to create, and once created (level by level) the row it became."""

    article_id: int
    author: Author
    body: str
    created_at: datetime
    depth: int = 1
    parent: "Planned | None" = None
    row: Comment | None = None

    @property
    def root(self) -> "Planned":
        return self.parent.root if self.parent else self


def seed_comments(per_article: int, *, coach: User, readers: list[User]) -> tuple[int, int, int]:
    """Give each published article without comments `per_article` approved, threaded comments.

    Returns how many comments were created, on how many articles, and how many articles
    already had comments (left alone).
    """
    if per_article <= 0:
        return 0, 0, 0
    content_type = ContentType.objects.get_for_model(Article)
    commented = set(
        Comment.objects.filter(content_type=content_type).values_list("object_id", flat=True)
    )
    articles = list(Article.objects.published().order_by("pk").only("pk", "slug", "published_at"))
    now = timezone.now()
    coach_author = Author(coach.display_name, user=coach)
    reader_authors = [Author(reader.display_name, user=reader) for reader in readers]
    planned: list[Planned] = []
    for article in articles:
        if article.pk not in commented:
            planned += _conversation(
                article, per_article, coach=coach_author, readers=reader_authors, now=now
            )
    rendered: dict[str, str] = {}  # the same sentences come back often: render each once
    for depth in range(1, MAX_DEPTH + 1):
        rows = []
        for comment in (p for p in planned if p.depth == depth):
            if comment.body not in rendered:
                rendered[comment.body] = render_comment(comment.body)
            comment.row = _row(comment, content_type, rendered[comment.body])
            rows.append(comment.row)
        # PostgreSQL and SQLite return the new primary keys: the next level points at them.
        Comment.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    already = sum(article.pk in commented for article in articles)
    return len(planned), len(articles) - already, already


def _conversation(article, count: int, *, coach, readers, now) -> list[Planned]:
    """`count` comments for one article: a first thread with the coach, then varied ones."""
    # Seeded by the slug: an article gets the same conversation on every machine.
    rng = random.Random(article.slug)  # noqa: S311 (demo text, not secrets)
    window = min(SPREAD, now - article.published_at)
    comments: list[Planned] = []
    while len(comments) < count:
        budget = count - len(comments)
        start = article.published_at + window * rng.random() ** 2  # busiest in the first days
        if not comments:
            # A question, the coach's answer, the reader's follow-up and the coach again; one
            # comment is kept for a second thread.
            size = budget if budget <= 2 else min(MAX_DEPTH, budget - 1)
            thread = _dialogue(article.pk, size, rng, coach=coach, readers=readers, start=start)
        else:
            size = min(budget, rng.choice([1, 1, 1, 2, 2, 3, 3, 4, 5, 7]))
            thread = _thread(article.pk, size, rng, coach=coach, readers=readers, start=start)
        for comment in thread[1:]:
            comment.created_at = _after(comment.parent.created_at, rng, now=now)
        comments += thread
    return comments


def _dialogue(article_id, size, rng, *, coach, readers, start) -> list[Planned]:
    opening = rng.choice(OPENINGS)
    asker = _someone(rng, readers)
    thread = [Planned(article_id, asker, opening.text, start)]
    for index in range(1, size):
        parent = thread[-1]
        if index % 2:
            body = opening.answer if index == 1 and opening.answer else rng.choice(COACH_REPLIES)
            thread.append(_reply(parent, coach, body))
        else:
            thread.append(_reply(parent, asker, rng.choice(FOLLOW_UPS)))
    return thread


def _thread(article_id, size, rng, *, coach, readers, start) -> list[Planned]:
    opening = rng.choice(OPENINGS)
    root = Planned(article_id, _someone(rng, readers), opening.text, start)
    thread = [root]
    coach_answered = False
    for _ in range(size - 1):
        open_ = [comment for comment in thread if comment.depth < MAX_DEPTH]
        last = thread[-1]
        parent = last if last.depth < MAX_DEPTH and rng.random() < 0.5 else rng.choice(open_)
        if parent.author is coach:
            author = root.author if rng.random() < 0.6 else _someone(rng, readers)
        elif (parent is root and not coach_answered and rng.random() < 0.5) or rng.random() < 0.1:
            author = coach
        else:
            author = _someone(rng, readers, besides=parent.author)
        if author is coach:
            if parent is root and opening.answer and not coach_answered:
                body = opening.answer
            else:
                body = rng.choice(COACH_REPLIES)
            coach_answered = coach_answered or parent is root
        else:
            body = rng.choice(FOLLOW_UPS if parent.author is coach else REPLIES)
        thread.append(_reply(parent, author, body))
    return thread


def _reply(parent: Planned, author: Author, template: str) -> Planned:
    name = parent.author.name.removeprefix("Coach ").split()[0]
    return Planned(
        parent.article_id,
        author,
        template.replace("{name}", name),
        parent.created_at,  # moved later by the caller
        depth=parent.depth + 1,
        parent=parent,
    )


def _someone(rng: random.Random, readers: list[Author], *, besides=None) -> Author:
    """A demo reader (one time in three) or a guest, other than `besides`."""
    while True:
        if readers and rng.random() < 1 / 3:
            author = rng.choice(readers)
        else:
            name = rng.choice(GUESTS)
            first = slugify(name.split()[0])
            author = Author(
                name,
                email=f"{first}{rng.randint(1, 99)}@example.net",
                website=f"https://{first}.example.net/" if rng.random() < 0.2 else "",
            )
        if besides is None or author.name != besides.name:
            return author


def _after(moment: datetime, rng: random.Random, *, now: datetime) -> datetime:
    """A time from a few minutes to three days after `moment`, and not in the future."""
    delay = timedelta(minutes=rng.randint(10, 3 * 24 * 60))
    return moment + min(delay, (now - moment) * rng.uniform(0.1, 0.9))


def _row(comment: Planned, content_type: ContentType, body_html: str) -> Comment:
    parent = comment.parent.row if comment.parent else None
    return Comment(
        content_type=content_type,
        object_id=comment.article_id,
        parent=parent,
        thread=comment.root.row if parent else None,
        replied_to=parent,
        depth=comment.depth,
        user=comment.author.user,
        name=comment.author.name,
        email=comment.author.email,
        website=comment.author.website,
        body=comment.body,
        body_html=body_html,
        status=Comment.Status.APPROVED,
        reasons=["demo content"],
        created_at=comment.created_at,
        approved_at=comment.created_at,
    )
