from django.conf import settings
from django.core.management.base import BaseCommand

from painrelief import privacy
from questions import services


class Command(BaseCommand):
    help = (
        "`purge`: delete unanswered, declined, held and spam questions older than "
        "QUESTIONS_RETENTION_DAYS (meant to run daily). `export EMAIL` prints everything kept "
        "about an email address as JSON; `erase EMAIL` deletes it. `erase-traces`: erase the "
        "IP addresses and browsers of comments and questions older than TRACE_RETENTION_DAYS "
        "(meant to run daily)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        purge = actions.add_parser("purge", help="Delete questions past the retention period.")
        purge.add_argument("--days", type=int, default=settings.QUESTIONS_RETENTION_DAYS)
        purge.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")
        export = actions.add_parser("export", help="Everything about one email, as JSON.")
        export.add_argument("email")
        erase = actions.add_parser("erase", help="Delete everything about one email.")
        erase.add_argument("email")
        traces = actions.add_parser("erase-traces", help="Erase old IP addresses and browsers.")
        traces.add_argument("--days", type=int, default=settings.TRACE_RETENTION_DAYS)
        traces.add_argument("--dry-run", action="store_true", help="Count, erase nothing.")

    def handle(self, *args, **options):
        if options["action"] == "purge":
            count = services.purge_expired(days=options["days"], dry_run=options["dry_run"])
            verb = "would delete" if options["dry_run"] else "deleted"
            self.stdout.write(
                f"Questions: {verb} {count} unanswered, declined or spam older than "
                f"{options['days']} days."
            )
        elif options["action"] == "erase-traces":
            counts = privacy.erase_old_traces(days=options["days"], dry_run=options["dry_run"])
            verb = "would erase" if options["dry_run"] else "erased"
            self.stdout.write(
                f"IP addresses and browsers older than {options['days']} days: {verb} on "
                + ", ".join(f"{n} {what}" for what, n in counts.items())
                + "."
            )
        elif options["action"] == "export":
            self.stdout.write(privacy.export_person(options["email"]))
        else:
            counts = privacy.erase_person(options["email"])
            self.stdout.write(
                self.style.SUCCESS(
                    "Erased: " + ", ".join(f"{n} {what}" for what, n in counts.items())
                )
            )
