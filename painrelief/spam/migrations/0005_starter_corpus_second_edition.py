"""Learn the rows added to the starter corpus since 0003 (the spam a health blog gets, and short
ordinary comments, in our own words). Its ham do not calibrate the hold threshold: they are our
writing, not the site's readers (SPAM_CLASSIFIER_HOLD applies until the site has its own)."""

from django.db import migrations

from painrelief.spam.starter_editions import change_counts

# The rows 0003 learned, and the rows of this edition (0009 learns the third).
SECOND_EDITION = slice(240, 360)


def learn_second_edition(apps, schema_editor):
    change_counts(apps, SECOND_EDITION, +1)


def forget_second_edition(apps, schema_editor):
    change_counts(apps, SECOND_EDITION, -1)


class Migration(migrations.Migration):
    dependencies = [("spam", "0004_calibrated_hold_threshold")]

    operations = [migrations.RunPython(learn_second_edition, forget_second_edition)]
