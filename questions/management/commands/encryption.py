from django.core.management.base import BaseCommand

from painrelief import encryption


class Command(BaseCommand):
    help = (
        "Encryption at rest (README, 'Encryption at rest'). `newkey` prints a new key for "
        "FIELD_ENCRYPTION_KEYS; `rotate` re-encrypts every value under an older key with the "
        "current (first) key; `status` counts the stored values under each key."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("newkey", help="Print a new random key.")
        rotate = actions.add_parser("rotate", help="Re-encrypt with the current key.")
        rotate.add_argument("--dry-run", action="store_true", help="Count, change nothing.")
        actions.add_parser("status", help="Stored values under each key id.")

    def handle(self, *args, **options):
        if options["action"] == "newkey":
            self.stdout.write(encryption.generate_key())
            return
        current = encryption.keyring()[0]
        self.stdout.write(f"Current key: {current}")
        for model in encryption.models_with_encrypted_fields():
            label = model._meta.label
            if options["action"] == "status":
                counts = encryption.key_ids_in_use(model)
                listed = ", ".join(
                    f"{n} under {kid}{' (current)' if kid == current else ''}"
                    for kid, n in counts.most_common()
                )
                self.stdout.write(f"{label}: {listed or 'no encrypted values'}")
                continue
            count = encryption.rotate(model, dry_run=options["dry_run"])
            verb = "would re-encrypt" if options["dry_run"] else "re-encrypted"
            self.stdout.write(self.style.SUCCESS(f"{label}: {verb} {count} rows."))
