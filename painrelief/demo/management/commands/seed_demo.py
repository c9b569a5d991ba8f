from django.core.management.base import BaseCommand
from django.db import transaction

from painrelief.demo import users


class Command(BaseCommand):
    help = (
        "Create demo content: the coach, a moderator and readers (and, as their apps land, "
        "articles, comments and questions). Running it again adds nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=12,
            metavar="N",
            help="Number of demo articles (used by the articles app).",
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
        _, created = users.seed_users()
        self.stdout.write(
            f"Users: {created} created, {len(users.ACCOUNTS) - created} already there."
        )
        for option, app in (
            ("articles", "articles"),
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
