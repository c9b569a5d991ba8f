"""What the data migrations that add an edition of the starter corpus share: the counts of a
slice of its rows added to (or taken from) the statistics, its rows kept as training examples,
and the cold model fitted on them. They work on the migration's historical models."""

import dataclasses
from collections import Counter

from . import classifier, regression
from .corpus import STARTER, Example, read_examples
from .features import features_of

THIRD_EDITION = slice(360, None)


def starter_rows(rows: slice = slice(None), *, addresses: bool = True) -> list[Example]:
    """The starter corpus's `rows`. Without `addresses`, as migration 0009 learned them: the
    third edition's rows had no email address until 0010 gave each named author one."""
    examples = read_examples(STARTER)
    if not addresses:
        third = range(len(examples))[THIRD_EDITION]
        examples = [
            dataclasses.replace(e, submission=dataclasses.replace(e.submission, email=""))
            if n in third
            else e
            for n, e in enumerate(examples)
        ]
    return examples[rows]


def _counts(examples: list[Example]) -> tuple[Counter, Counter]:
    """(rows per label, rows per (feature id, label)) of the examples."""
    added, counts = Counter(), Counter()
    for example in examples:
        added[example.label] += 1
        counts.update(
            (classifier.feature_id(f), example.label) for f in features_of(example.submission)
        )
    return added, counts


def change_counts(apps, rows: slice, sign: int, *, addresses: bool = True) -> None:
    """Add (sign 1) or take back (sign -1) the counts of the starter corpus's `rows`."""
    added, counts = _counts(starter_rows(rows, addresses=addresses))
    _apply(
        apps,
        Counter({key: sign * n for key, n in counts.items()}),
        Counter({label: sign * n for label, n in added.items()}),
    )


def replace_counts(apps, before: list[Example], after: list[Example]) -> None:
    """Take back the counts of `before` and add those of `after` (the same rows, edited): only
    the features that differ are written."""
    added_before, counts_before = _counts(before)
    added_after, counts_after = _counts(after)
    deltas = Counter(counts_after)
    deltas.subtract(counts_before)
    totals = Counter(added_after)
    totals.subtract(added_before)
    _apply(apps, Counter({key: n for key, n in deltas.items() if n}), totals)


def _apply(apps, deltas: Counter, totals: Counter) -> None:
    FeatureStat = apps.get_model("spam", "FeatureStat")
    LearnedTotals = apps.get_model("spam", "LearnedTotals")
    learned = LearnedTotals.objects.filter(pk=1).first()
    if learned is None or not FeatureStat.objects.exists():
        return  # nothing learned (0003 was skipped): `manage.py spam reset` learns everything
    by_feature = {}
    for (fid, label), n in deltas.items():
        by_feature.setdefault(fid, {"spam": 0, "ham": 0})[label] = n
    existing = FeatureStat.objects.in_bulk(list(by_feature))
    stats = []
    for fid, n in by_feature.items():
        stat = existing.get(fid) or FeatureStat(feature=fid, spam=0, ham=0)
        stat.spam = max(stat.spam + n["spam"], 0)
        stat.ham = max(stat.ham + n["ham"], 0)
        stats.append(stat)
    # One upsert: bulk_update's CASE per row took 80% of a migration for 69,000 features.
    FeatureStat.objects.bulk_create(
        stats,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["feature"],
        update_fields=["spam", "ham"],
    )
    learned.spam = max(learned.spam + totals["spam"], 0)
    learned.ham = max(learned.ham + totals["ham"], 0)
    learned.save(update_fields=["spam", "ham"])


def keep_examples_and_fit(apps, rows: slice, *, addresses: bool = True) -> None:
    """The starter corpus's `rows` as its training examples (replacing those kept before),
    then a fit on every example, as the current model."""
    FeatureStat = apps.get_model("spam", "FeatureStat")
    TrainingExample = apps.get_model("spam", "TrainingExample")
    if not FeatureStat.objects.exists():
        return  # nothing learned: `manage.py spam reset` learns everything
    TrainingExample.objects.filter(from_site=False).delete()
    starter = starter_rows(rows, addresses=addresses)
    for label in ("spam", "ham"):
        classifier.keep_examples(
            [(e.submission, features_of(e.submission)) for e in starter if e.label == label],
            label=label,
            from_site=False,
            model=TrainingExample,
        )
    regression.refit(apps)
