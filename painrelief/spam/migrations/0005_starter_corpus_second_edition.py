"""Learn the rows added to the starter corpus since 0003 (the spam a health blog gets, and short
ordinary comments, in our own words). Its ham do not calibrate the hold threshold: they are our
writing, not the site's readers (SPAM_CLASSIFIER_HOLD applies until the site has its own)."""

from collections import Counter

from django.db import migrations

from painrelief.spam.classifier import feature_id
from painrelief.spam.corpus import STARTER, read_examples
from painrelief.spam.features import features_of

FIRST_EDITION_ROWS = 240  # learned by 0003


def second_edition_counts() -> tuple[Counter, Counter]:
    """The rows added since 0003: how many of each label, and each feature's counts."""
    totals, counts = Counter(), Counter()
    for example in read_examples(STARTER)[FIRST_EDITION_ROWS:]:
        totals[example.label] += 1
        counts.update((feature_id(f), example.label) for f in features_of(example.submission))
    return totals, counts


def change_counts(apps, sign: int) -> None:
    FeatureStat = apps.get_model("spam", "FeatureStat")
    LearnedTotals = apps.get_model("spam", "LearnedTotals")
    totals = LearnedTotals.objects.filter(pk=1).first()
    if totals is None or not FeatureStat.objects.exists():
        return  # nothing learned (0003 was skipped): `manage.py spam reset` learns everything
    added, counts = second_edition_counts()
    by_feature = {}
    for (fid, label), n in counts.items():
        by_feature.setdefault(fid, {"spam": 0, "ham": 0})[label] = n
    existing = FeatureStat.objects.in_bulk(list(by_feature))
    changed, new = [], []
    for fid, n in by_feature.items():
        stat = existing.get(fid) or FeatureStat(feature=fid, spam=0, ham=0)
        stat.spam = max(stat.spam + sign * n["spam"], 0)
        stat.ham = max(stat.ham + sign * n["ham"], 0)
        (changed if fid in existing else new).append(stat)
    FeatureStat.objects.bulk_update(changed, ["spam", "ham"], batch_size=2000)
    FeatureStat.objects.bulk_create(new, batch_size=2000)
    totals.spam = max(totals.spam + sign * added["spam"], 0)
    totals.ham = max(totals.ham + sign * added["ham"], 0)
    totals.save(update_fields=["spam", "ham"])


def learn_second_edition(apps, schema_editor):
    change_counts(apps, +1)


def forget_second_edition(apps, schema_editor):
    change_counts(apps, -1)


class Migration(migrations.Migration):
    dependencies = [("spam", "0004_calibrated_hold_threshold")]

    operations = [migrations.RunPython(learn_second_edition, forget_second_edition)]
