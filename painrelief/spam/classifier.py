"""A learning classifier: feature statistics in the database, combined as SpamBayes does.

Each feature's spam probability is Robinson's smoothed estimate from how many learned spam and
ham submissions contained it; the strongest clues are combined with Fisher's chi-squared
method, which says "unsure" (near 0.5) when clues disagree instead of jumping to 0 or 1.

Statistics live in the database, so every worker and server shares them; learning adds to
them with one upsert statement per batch, inside the caller's transaction.
"""

import hashlib
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection, transaction

from .features import features_of
from .models import FeatureStat, LearnedTotals

if TYPE_CHECKING:
    from .defence import Submission

UNKNOWN_PROBABILITY = 0.5  # what a feature never seen says
STRENGTH = 0.45  # how many sightings Robinson's estimate trusts the prior for
MIN_DISTANCE = 0.2  # features closer than this to 0.5 are ignored
MAX_CLUES = 150
# Features looked up per submission, in one query: word pairs are the first left out of a very
# long text (the cap keeps the query and its cost bounded).
MAX_FEATURES = 5000


@dataclass(frozen=True)
class Score:
    probability: float  # 0: surely ham, 1: surely spam
    spam_clues: tuple[str, ...]  # the features that pushed most towards spam
    ham_clues: tuple[str, ...]
    learned: bool  # whether the classifier has learned anything yet


def feature_id(feature: str) -> int:
    """A stable signed 64-bit id for a feature string."""
    digest = hashlib.blake2b(feature.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def totals() -> tuple[int, int]:
    row = LearnedTotals.objects.filter(pk=1).values_list("spam", "ham").first()
    return row or (0, 0)


def score(submission: "Submission") -> Score:
    """The probability that `submission` is spam: two queries (totals, feature statistics)."""
    features = features_of(submission)
    return score_features(features, *totals())


def score_features(features: set[str], spam_total: int, ham_total: int) -> Score:
    if not (spam_total and ham_total):
        return Score(UNKNOWN_PROBABILITY, (), (), learned=False)
    if len(features) > MAX_FEATURES:
        features = sorted(features, key=lambda f: (" " in f and ":" not in f, f))[:MAX_FEATURES]
    by_id = {feature_id(f): f for f in features}
    counts = {
        fid: (spam, ham)
        for fid, spam, ham in FeatureStat.objects.filter(feature__in=list(by_id)).values_list(
            "feature", "spam", "ham"
        )
    }
    clues = []
    for fid, (spam, ham) in counts.items():
        probability = feature_probability(spam, ham, spam_total, ham_total)
        if abs(probability - 0.5) >= MIN_DISTANCE:
            clues.append((abs(probability - 0.5), probability, by_id[fid]))
    clues.sort(reverse=True)
    clues = clues[:MAX_CLUES]
    if not clues:
        return Score(UNKNOWN_PROBABILITY, (), (), learned=True)
    probabilities = [p for _, p, _ in clues]
    return Score(
        chi2_combined(probabilities),
        tuple(f for _, p, f in clues if p > 0.5)[:8],
        tuple(f for _, p, f in clues if p < 0.5)[:8],
        learned=True,
    )


def feature_probability(spam: int, ham: int, spam_total: int, ham_total: int) -> float:
    """Robinson's estimate: the ratio of the feature's rates, pulled towards 0.5 when rare."""
    spam_rate = min(spam / spam_total, 1.0)
    ham_rate = min(ham / ham_total, 1.0)
    if spam_rate + ham_rate == 0:
        return UNKNOWN_PROBABILITY
    raw = spam_rate / (spam_rate + ham_rate)
    seen = spam + ham
    return (STRENGTH * UNKNOWN_PROBABILITY + seen * raw) / (STRENGTH + seen)


def chi2_combined(probabilities: list[float]) -> float:
    """Fisher's combination of the clues (SpamBayes's chi2_spamprob)."""
    count = len(probabilities)
    spamminess = sum(math.log(max(1.0 - p, 1e-200)) for p in probabilities)
    hamminess = sum(math.log(max(p, 1e-200)) for p in probabilities)
    spam_evidence = 1.0 - chi2_survival(-2.0 * spamminess, 2 * count)
    ham_evidence = 1.0 - chi2_survival(-2.0 * hamminess, 2 * count)
    return (spam_evidence - ham_evidence + 1.0) / 2.0


def chi2_survival(chi2: float, degrees: int) -> float:
    """P(X >= chi2) for a chi-squared variable with an even number of degrees of freedom."""
    half = chi2 / 2.0
    term = total = math.exp(-half)
    for i in range(1, degrees // 2):
        term *= half / i
        total += term
    return min(total, 1.0)


def learn(submissions: Iterable["Submission"], *, label: str, forget: bool = False) -> int:
    """Add submissions to the statistics as examples of `label` ("spam" or "ham"), or take
    them back out with forget=True (when a moderator reverses a decision).

    A few statements per batch of features, whatever the number of submissions. Returns how
    many submissions were counted.
    """
    if label not in ("spam", "ham"):
        raise ValueError(f"label must be 'spam' or 'ham', not {label!r}")
    counts: Counter[int] = Counter()
    learned = 0
    for submission in submissions:
        counts.update(feature_id(f) for f in features_of(submission))
        learned += 1
    if not learned:
        return 0
    with transaction.atomic():
        totals, _ = LearnedTotals.objects.select_for_update().get_or_create(pk=1)
        if forget:
            _subtract(label, counts)
            setattr(totals, label, max(getattr(totals, label) - learned, 0))
        else:
            _add(label, counts)
            setattr(totals, label, getattr(totals, label) + learned)
        totals.save(update_fields=[label])
    return learned


# The SQL below is built from the table name and `label`, which learn() checks is "spam" or
# "ham"; values are passed as parameters.


def _add(label: str, counts: Counter[int]) -> None:
    table = connection.ops.quote_name(FeatureStat._meta.db_table)
    conflict = f"ON CONFLICT (feature) DO UPDATE SET {label} = {table}.{label} + excluded.{label}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement for the whole batch: arrays unnested into rows.
            cursor.execute(
                f"INSERT INTO {table} (feature, spam, ham) "  # noqa: S608
                f"SELECT f, 0, 0 FROM unnest(%s::bigint[]) AS f "
                f"ON CONFLICT (feature) DO NOTHING",
                [list(counts)],
            )
            cursor.execute(
                f"UPDATE {table} AS t SET {label} = t.{label} + d.n "  # noqa: S608
                f"FROM unnest(%s::bigint[], %s::integer[]) AS d(feature, n) "
                f"WHERE t.feature = d.feature",
                [list(counts), list(counts.values())],
            )
        else:
            rows = [(fid, n, 0) if label == "spam" else (fid, 0, n) for fid, n in counts.items()]
            cursor.executemany(
                f"INSERT INTO {table} (feature, spam, ham) VALUES (%s, %s, %s) "  # noqa: S608
                + conflict,
                rows,
            )


def _subtract(label: str, counts: Counter[int]) -> None:
    table = connection.ops.quote_name(FeatureStat._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS t SET {label} = GREATEST(t.{label} - d.n, 0) "  # noqa: S608
                f"FROM unnest(%s::bigint[], %s::integer[]) AS d(feature, n) "
                f"WHERE t.feature = d.feature",
                [list(counts), list(counts.values())],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET {label} = MAX({label} - %s, 0) "  # noqa: S608
                "WHERE feature = %s",
                [(n, fid) for fid, n in counts.items()],
            )


def forget_everything() -> None:
    """Drop every statistic (`spam reset` then relearns the starter corpus)."""
    with transaction.atomic():
        FeatureStat.objects.all().delete()
        LearnedTotals.objects.update_or_create(pk=1, defaults={"spam": 0, "ham": 0})
