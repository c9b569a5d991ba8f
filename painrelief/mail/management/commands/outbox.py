from django.core.management.base import BaseCommand

from painrelief.mail import outbox
from painrelief.mail.models import OutgoingEmail


class Command(BaseCommand):
    help = (
        "`retry`: attempt every waiting email whose time has come (the task worker does it by "
        "itself; run this when TASKS_BACKEND=immediate). `status`: count emails by status."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("retry", help="Attempt the waiting emails that are due.")
        actions.add_parser("status", help="How many emails wait, were sent, or failed.")

    def handle(self, *args, **options):
        if options["action"] == "retry":
            sent = outbox.deliver_due()
            self.stdout.write(self.style.SUCCESS(f"Outbox: {sent} sent."))
            return
        for status, label in OutgoingEmail.Status.choices:
            count = OutgoingEmail.objects.filter(status=status).count()
            self.stdout.write(f"{label}: {count}")
