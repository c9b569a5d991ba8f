from django.core.management.base import BaseCommand
from django.db import transaction

from painrelief.demo import articles, users


class Command(BaseCommand):
    help = (
        "Create demo content: the coach, a moderator, readers and articles (and, as their apps "
        "land, comments and questions). Running it again adds nothing twice."
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
            help="Comments per article (used by the comments app).",
        )
        parser.add_argument(
            "--questions",
            type=int,
            default=8,
            metavar="N",
            help="Number of demo questions (used by the questions app).",
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
        for option, app in (
            ("comments_per_article", "comments"),
            ("questions", "questions"),
        ):
            self.stdout.write(
                self.style.WARNING(
                    f"--{option.replace('_', '-')}={options[option]}: the {app} app has no demo "
                    f"content yet; nothing created."
                )
            )
        self.stdout.write(self.style.SUCCESS("Demo logins (local use only):"))
        for login in (users.COACH, users.MODERATOR, users.READER):
            self.stdout.write(f"  {login.role:<10} {login.email:<24} password: {login.password}")
