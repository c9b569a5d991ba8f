import argparse

from django.core.management.base import BaseCommand
from django.db import transaction

from painrelief.demo import articles, comments, questions, users
from painrelief.pagecache import content_changed


def busy_articles(value: str) -> tuple[int, int]:
    """`ARTICLES:COMMENTS`, e.g. `50:200`, as two whole numbers of zero or more."""
    articles, _, comments = value.partition(":")
    try:
        pair = int(articles), int(comments)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected ARTICLES:COMMENTS, e.g. 50:200, not {value!r}"
        ) from None
    if min(pair) < 0:
        raise argparse.ArgumentTypeError(f"expected numbers of zero or more, not {value!r}")
    return pair


class Command(BaseCommand):
    help = (
        "Create demo content: the coach, a moderator, readers, articles and their comments, and "
        "readers' questions in every state. Running it again adds nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=12,
            metavar="N",
            help="Number of demo articles, the long guide included; the first 12 get pictures.",
        )
        parser.add_argument(
            "--comments-per-article",
            type=int,
            default=4,
            metavar="N",
            help="Approved comments, in threads, on each published article; articles that "
            "already have comments are left alone.",
        )
        parser.add_argument(
            "--busy-articles",
            type=busy_articles,
            action="append",
            default=[],
            metavar="ARTICLES:COMMENTS",
            help="The next ARTICLES published articles, oldest first (the long guide is the "
            "first), get COMMENTS comments each instead of --comments-per-article; repeatable: "
            "--busy-articles 1:500 --busy-articles 50:200 gives the guide 500 and the next fifty "
            "200 each.",
        )
        parser.add_argument(
            "--questions",
            type=int,
            default=8,
            metavar="N",
            help="Number of demo questions: the first 8 include one in every state (public, "
            "answered privately, waiting for approval, new with and without red flags, declined, "
            "held, spam); past 20 they are variations, bulk-inserted.",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        demo_users, created = users.seed_users()
        self.stdout.write(
            f"Users: {created} created, {len(users.ACCOUNTS) - created} already there."
        )
        coach = next(u for u in demo_users if u.email.lower() == users.COACH.email.lower())
        wanted = max(options["articles"], 0)
        created = articles.seed_articles(wanted, author=coach)
        if wanted:
            self.stdout.write(
                f"Articles: {created} created, {wanted - created} already there "
                f"({len(articles.CATEGORIES)} categories, {len(articles.TAGS)} tags, "
                f"{min(wanted, articles.ILLUSTRATED)} with pictures)."
            )
        else:
            self.stdout.write("Articles: none asked for (--articles 0).")
        per_article = max(options["comments_per_article"], 0)
        readers = [
            user
            for user, (_, _, role) in zip(demo_users, users.ACCOUNTS, strict=True)
            if role is None
        ]
        busy = options["busy_articles"]
        created, commented, already = comments.seed_comments(
            per_article, coach=coach, readers=readers, busy=busy
        )
        if per_article or any(count for _, count in busy):
            self.stdout.write(
                f"Comments: {created} created on {commented} articles "
                f"({already} already had theirs)."
            )
        else:
            self.stdout.write("Comments: none asked for (--comments-per-article 0).")
        wanted = max(options["questions"], 0)
        reader = next(u for u in demo_users if u.email.lower() == users.READER.email.lower())
        created, kinds = questions.seed_questions(wanted, reader=reader)
        if wanted:
            self.stdout.write(
                f"Questions: {created} created ({wanted - created} already there): "
                f"{kinds[questions.PUBLIC]} public, {kinds[questions.PRIVATE]} answered privately, "
                f"{kinds[questions.WAITING]} waiting for approval, {kinds[questions.NEW]} new "
                f"({kinds['red flags']} with red flags), {kinds[questions.DECLINED]} declined, "
                f"{kinds[questions.HELD]} held, {kinds[questions.SPAM]} spam."
            )
        else:
            self.stdout.write("Questions: none asked for (--questions 0).")
        content_changed()  # bulk inserts send no signal: cached pages (CACHE_DIR, Redis) are stale
        self.stdout.write(self.style.SUCCESS("Demo logins (local use only):"))
        for login in (users.COACH, users.MODERATOR, users.READER):
            self.stdout.write(f"  {login.role:<10} {login.email:<24} password: {login.password}")
