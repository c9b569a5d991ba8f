"""Demo comments: threads of guests and readers talking about their aches, with the coach answering.

Comments are inserted with bulk_create, one level of the threads at a time (a reply needs its
parent's primary key), so the number of INSERT queries depends on the depth of the threads, not
on how many comments there are. bulk_create skips save(): the bodies are rendered here. What
the comments say is in data/comments.toml.

An article that already has comments is left alone, so seeding again adds nothing.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article
from painrelief.accounts.models import User
from painrelief.comments.models import Comment
from painrelief.demo import load
from painrelief.rendered import render_each_source_once

# Replies nest four levels deep at most, below the site's COMMENTS_MAX_DEPTH.
MAX_DEPTH = 4
# Comments per INSERT: a few levels of 6,000 comments stay within one or two queries each.
BATCH_SIZE = 2000
# Top-level comments arrive over the month after publication, replies within days of their parent.
SPREAD = timedelta(days=30)


@dataclass(frozen=True)
class Opening:
    """A top-level comment, and the coach's answer to it when a generic one would not fit."""

    text: str
    answer: str = ""


_texts = load("comments.toml")
GUESTS = _texts["guests"]
OPENINGS = [Opening(**opening) for opening in _texts["openings"]]
COACH_REPLIES = _texts["coach_replies"]
FOLLOW_UPS = _texts["follow_ups"]  # readers answering the coach
REPLIES = _texts["replies"]  # readers answering each other


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


def seed_comments(
    per_article: int, *, coach: User, readers: list[User], busy: Sequence[tuple[int, int]] = ()
) -> tuple[int, int, int]:
    """Give each published article without comments `per_article` approved, threaded comments.

    `busy` holds (articles, comments) pairs for the first published articles (oldest first):
    [(1, 500), (50, 200)] gives the first one 500 comments and the next fifty 200 each.
    Returns how many comments were created, on how many articles, and how many articles
    already had comments (left alone).
    """
    wanted = [comments for articles, comments in busy for _ in range(articles)]
    if per_article <= 0 and not any(wanted):
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
    for index, article in enumerate(articles):
        count = wanted[index] if index < len(wanted) else per_article
        if article.pk not in commented and count > 0:
            planned += _conversation(
                article, count, coach=coach_author, readers=reader_authors, now=now
            )
    for comment in planned:  # parents first: a reply's row points at its parent's
        comment.row = _row(comment, content_type)
    # The same sentences come back often: each is rendered once.
    render_each_source_once(comment.row for comment in planned)
    for depth in range(1, MAX_DEPTH + 1):
        # PostgreSQL and SQLite return the new primary keys: the next level points at them.
        Comment.objects.bulk_create(
            [comment.row for comment in planned if comment.depth == depth], batch_size=BATCH_SIZE
        )
    already = sum(article.pk in commented for article in articles)
    return len(planned), len({comment.article_id for comment in planned}), already


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


def _row(comment: Planned, content_type: ContentType) -> Comment:
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
        status=Comment.Status.APPROVED,
        reasons=["demo content"],
        created_at=comment.created_at,
        approved_at=comment.created_at,
    )
