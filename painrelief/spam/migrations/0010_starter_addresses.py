"""Give the third edition's named authors an email address, spam and ham alike (on the site
every guest types one; with none on 2,400 rows the cold model had learned "an address" mostly
from the first 360, and rated a pharmacy advert signed with a plausible address as much less
likely spam than the same text unsigned: 0.42 against 0.92). Relearn those rows' counts, keep
the rows as examples and fit the cold model again."""

from django.db import migrations

from painrelief.spam.starter_editions import (
    THIRD_EDITION,
    keep_examples_and_fit,
    replace_counts,
    starter_rows,
)


def add_addresses(apps, schema_editor):
    replace_counts(apps, starter_rows(THIRD_EDITION, addresses=False), starter_rows(THIRD_EDITION))
    keep_examples_and_fit(apps, slice(None))


def remove_addresses(apps, schema_editor):
    replace_counts(apps, starter_rows(THIRD_EDITION), starter_rows(THIRD_EDITION, addresses=False))
    keep_examples_and_fit(apps, slice(None), addresses=False)


class Migration(migrations.Migration):
    dependencies = [("spam", "0009_starter_corpus_third_edition")]

    operations = [migrations.RunPython(add_addresses, remove_addresses)]
