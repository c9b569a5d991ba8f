"""Learn the third edition of the starter corpus (rows 361 to the end: 2,400 comments in our
own words, of the kinds real comment sets hold: video and social self-promotion, giveaway and
investment scams, herbal-cure testimonials, SEO praise, support numbers, pharmacy and gadget
offers; and ordinary readers' comments, short and long), keep every starter row as a training
example, and fit the cold model on them, so that a new site starts with it. The rows are read
as this edition shipped them, without email addresses (0010 adds them)."""

from django.db import migrations

from painrelief.spam.starter_editions import THIRD_EDITION, change_counts, keep_examples_and_fit


def learn_third_edition(apps, schema_editor):
    change_counts(apps, THIRD_EDITION, +1, addresses=False)
    keep_examples_and_fit(apps, slice(None), addresses=False)


def forget_third_edition(apps, schema_editor):
    change_counts(apps, THIRD_EDITION, -1, addresses=False)
    keep_examples_and_fit(apps, slice(0, THIRD_EDITION.start))


class Migration(migrations.Migration):
    dependencies = [("spam", "0008_cold_fitted_model")]

    operations = [migrations.RunPython(learn_third_edition, forget_third_edition)]
