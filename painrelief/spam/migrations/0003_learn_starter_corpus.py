"""Teach the classifier our starter corpus, so that it works on the day the site is installed."""

from collections import defaultdict

from django.db import migrations

from painrelief.spam.classifier import feature_id
from painrelief.spam.corpus import STARTER, read_examples
from painrelief.spam.features import features_of


# The rows the starter corpus had when this migration was written; the rows added since are
# learned by 0005, so that a site installed before them learns them too, and only once.
FIRST_EDITION_ROWS = 240


def learn_starter_corpus(apps, schema_editor):
    FeatureStat = apps.get_model("spam", "FeatureStat")
    LearnedTotals = apps.get_model("spam", "LearnedTotals")
    if FeatureStat.objects.exists():
        return  # something was learned already; `manage.py spam reset` starts over
    counts = defaultdict(lambda: {"spam": 0, "ham": 0})
    totals = {"spam": 0, "ham": 0}
    for example in read_examples(STARTER)[:FIRST_EDITION_ROWS]:
        totals[example.label] += 1
        for feature in features_of(example.submission):
            counts[feature_id(feature)][example.label] += 1
    FeatureStat.objects.bulk_create(
        [FeatureStat(feature=fid, **count) for fid, count in counts.items()], batch_size=2000
    )
    LearnedTotals.objects.update_or_create(pk=1, defaults=totals)


def forget(apps, schema_editor):
    apps.get_model("spam", "FeatureStat").objects.all().delete()
    apps.get_model("spam", "LearnedTotals").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("spam", "0002_role_permissions")]

    operations = [migrations.RunPython(learn_starter_corpus, forget)]
