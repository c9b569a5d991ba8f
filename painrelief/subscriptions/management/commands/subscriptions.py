"""`manage.py subscriptions announce` queues the emails of articles that became public;
`manage.py subscriptions weekly` queues the weekly summaries. The task worker's schedule runs
both; the command is for running them by hand."""

from django.core.management.base import BaseCommand

from painrelief.subscriptions import emails, services


class Command(BaseCommand):
    help = "Announce new articles to subscribers, or send the weekly summaries."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["announce", "weekly"])

    def handle(self, *args, action, **options):
        if action == "announce":
            announced = services.announce_new_articles()
            self.stdout.write(f"{len(announced)} new article(s) announced.")
        else:
            emails.send_weekly_summaries.enqueue()
            self.stdout.write("Weekly summaries queued.")
