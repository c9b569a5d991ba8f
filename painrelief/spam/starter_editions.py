"""What the data migrations that add an edition of the starter corpus share: the counts of a
slice of its rows added to (or taken from) the statistics, its rows kept as training examples,
and the cold model fitted on them. They work on the migration's historical models."""

from collections import Counter

from . import classifier, regression
from .corpus import STARTER, read_examples
from .features import features_of


def change_counts(apps, rows: slice, sign: int) -> None:
    """Add (sign 1) or take back (sign -1) the counts of the starter corpus's `rows`."""
    FeatureStat = apps.get_model("spam", "FeatureStat")
    LearnedTotals = apps.get_model("spam", "LearnedTotals")
    totals = LearnedTotals.objects.filter(pk=1).first()
    if totals is None or not FeatureStat.objects.exists():
        return  # nothing learned (0003 was skipped): `manage.py spam reset` learns everything
    added, counts = Counter(), Counter()
    for example in read_examples(STARTER)[rows]:
        added[example.label] += 1
        counts.update(
            (classifier.feature_id(f), example.label) for f in features_of(example.submission)
        )
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


def keep_examples_and_fit(apps, rows: slice) -> None:
    """The starter corpus's `rows` as its training examples (replacing those kept before),
    then a fit on every example, as the current model."""
    FeatureStat = apps.get_model("spam", "FeatureStat")
    TrainingExample = apps.get_model("spam", "TrainingExample")
    if not FeatureStat.objects.exists():
        return  # nothing learned: `manage.py spam reset` learns everything
    TrainingExample.objects.filter(from_site=False).delete()
    starter = read_examples(STARTER)[rows]
    for label in ("spam", "ham"):
        classifier.keep_examples(
            [(e.submission, features_of(e.submission)) for e in starter if e.label == label],
            label=label,
            from_site=False,
            model=TrainingExample,
        )
    regression.refit(apps)
