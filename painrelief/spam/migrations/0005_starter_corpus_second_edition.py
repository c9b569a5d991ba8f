"""Learn the rows added to the starter corpus since 0003 (the spam a health blog gets, and short
ordinary comments, in our own words), then score its ham as if each had not been learned and
calibrate the hold threshold on those scores, so that SPAM_TARGET_FPR applies from the day the
site is installed."""

from collections import Counter

from django.conf import settings
from django.db import migrations

from painrelief.spam.classifier import combined_score, feature_id, threshold_for
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


def learn_second_edition_and_calibrate(apps, schema_editor):
    change_counts(apps, +1)
    calibrate_on_starter_corpus(apps)


def calibrate_on_starter_corpus(apps):
    FeatureStat = apps.get_model("spam", "FeatureStat")
    LearnedTotals = apps.get_model("spam", "LearnedTotals")
    LearnedHamScore = apps.get_model("spam", "LearnedHamScore")
    totals = LearnedTotals.objects.filter(pk=1).first()
    if totals is None or LearnedHamScore.objects.exists() or not totals.spam or totals.ham < 2:
        return
    ham = [features_of(e.submission) for e in read_examples(STARTER) if e.label == "ham"]
    ids = list({feature_id(f) for features in ham for f in features})
    stats = {}
    for start in range(0, len(ids), 5000):
        stats.update(
            (fid, (spam, ham_count))
            for fid, spam, ham_count in FeatureStat.objects.filter(
                feature__in=ids[start : start + 5000]
            ).values_list("feature", "spam", "ham")
        )
    scores = []
    for features in ham:
        known = [
            (f, spam, max(ham_count - 1, 0))
            for f in features
            for spam, ham_count in [stats.get(feature_id(f), (0, 0))]
            if spam + ham_count > 1
        ]
        scores.append(combined_score(known, totals.spam, totals.ham - 1).probability)
    LearnedHamScore.objects.bulk_create([LearnedHamScore(score=s) for s in scores])
    totals.hold_above = threshold_for(scores, settings.SPAM_TARGET_FPR)
    totals.calibrated_for = settings.SPAM_TARGET_FPR
    totals.save(update_fields=["hold_above", "calibrated_for"])


def forget_second_edition_and_uncalibrate(apps, schema_editor):
    apps.get_model("spam", "LearnedHamScore").objects.all().delete()
    apps.get_model("spam", "LearnedTotals").objects.update(hold_above=None, calibrated_for=None)
    change_counts(apps, -1)


class Migration(migrations.Migration):
    dependencies = [("spam", "0004_calibrated_hold_threshold")]

    operations = [
        migrations.RunPython(
            learn_second_edition_and_calibrate, forget_second_edition_and_uncalibrate
        )
    ]
