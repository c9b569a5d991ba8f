"""Score the starter corpus's ham as if each had not been learned, and calibrate the hold
threshold on those scores, so that SPAM_TARGET_FPR applies from the day the site is installed."""

from django.conf import settings
from django.db import migrations

from painrelief.spam.classifier import combined_score, feature_id, threshold_for
from painrelief.spam.corpus import STARTER, read_examples
from painrelief.spam.features import features_of


def calibrate_on_starter_corpus(apps, schema_editor):
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


def uncalibrate(apps, schema_editor):
    apps.get_model("spam", "LearnedHamScore").objects.all().delete()
    apps.get_model("spam", "LearnedTotals").objects.update(hold_above=None, calibrated_for=None)


class Migration(migrations.Migration):
    dependencies = [("spam", "0004_calibrated_hold_threshold")]

    operations = [migrations.RunPython(calibrate_on_starter_corpus, uncalibrate)]
