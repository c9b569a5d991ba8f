"""A learning classifier: feature statistics in the database, combined as SpamBayes does.

Each feature's spam probability is Robinson's smoothed estimate from how many learned spam and
ham submissions contained it; the strongest clues are combined with Fisher's chi-squared
method, which says "unsure" (near 0.5) when clues disagree instead of jumping to 0 or 1.
A submission with fewer than MIN_CLUES informative features is unsure too: one or two words
seen once in spam are not evidence enough (short, ordinary comments were the typical false
positives on real comment sets).

The threshold from which a submission is held is calibrated on the site's own ham: each ham
learned is scored as if it had not been learned (leave-one-out, exact for counts), the last
HAM_SCORES_KEPT of those scores are kept, and the hold threshold is the lowest that would have
flagged at most SPAM_TARGET_FPR of them.

Statistics live in the database, so every worker and server shares them; learning adds to
them with one upsert statement per batch, inside the caller's transaction.
"""

import dataclasses
import hashlib
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection, transaction

from . import regression
from .features import features_of
from .models import FeatureStat, FittedModel, LearnedHamScore, LearnedTotals, TrainingExample

if TYPE_CHECKING:
    from .defence import Submission

UNKNOWN_PROBABILITY = 0.5  # what a feature never seen says
STRENGTH = 0.45  # how many sightings Robinson's estimate trusts the prior for
MIN_DISTANCE = 0.1  # features closer than this to 0.5 are ignored
MAX_CLUES = 150
# Fewer informative clues than this: unsure, the score pulled towards 0.5 (never spam), by
# UNSURE_WEIGHT and by how few clues there are.
MIN_CLUES = 3
UNSURE_WEIGHT = 0.25
# Leave-one-out scores of learned ham kept for the calibration, and how many it needs.
HAM_SCORES_KEPT = 2000
MIN_HAM_SCORES = 50
# How sure the calibration is that no more than SPAM_TARGET_FPR of new ham will be flagged.
CALIBRATION_CONFIDENCE = 0.9
# Features looked up per submission, in one query: word pairs are the first left out of a very
# long text (the cap keeps the query and its cost bounded).
MAX_FEATURES = 5000


@dataclass(frozen=True)
class Score:
    probability: float  # 0: surely ham, 1: surely spam
    spam_clues: tuple[str, ...]  # the features that pushed most towards spam
    ham_clues: tuple[str, ...]
    learned: bool  # whether the classifier has learned anything yet
    hold_above: float | None = None  # calibrated: held when probability > this (None: not yet)


def feature_id(feature: str) -> int:
    """A stable signed 64-bit id for a feature string."""
    digest = hashlib.blake2b(feature.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def totals() -> tuple[int, int]:
    row = LearnedTotals.objects.filter(pk=1).values_list("spam", "ham").first()
    return row or (0, 0)


def score(submission: "Submission") -> Score:
    """The probability that `submission` is spam: by the fitted model when there is one (one
    query, two when this process loads a new fit); with a cold model (the site has too few
    examples of its own yet), by the fitted model and the counts together (three more); else
    by the counts (three queries)."""
    model = regression.current()
    if model is not None and not model.cold:
        return fitted_score(model, submission)
    features = features_of(submission)  # read once for both models
    counted = counts_score(submission, features)
    if model is None or not counted.learned:
        return counted
    return cold_score(regression.score_with(model, submission, features), counted)


def counts_score(submission: "Submission", features: set[str] | None = None) -> Score:
    features = features_of(submission) if features is None else features
    row = (
        LearnedTotals.objects.filter(pk=1)
        .values_list("spam", "ham", "hold_above", "calibrated_for")
        .first()
    )
    spam_total, ham_total, hold_above, calibrated_for = row or (0, 0, None, None)
    if hold_above is not None and calibrated_for != settings.SPAM_TARGET_FPR:
        hold_above = calibrated_threshold()  # the setting changed since the last lesson
    result = score_features(features, spam_total, ham_total)
    return dataclasses.replace(result, hold_above=hold_above)


def cold_score(fitted: regression.Scored, counted: Score) -> Score:
    """The mean of the two models' log-odds: on the real comment sets, starting from the
    starter corpus alone, it ranked spam above ham better than either model did on three of
    four (README). The clues are the fitted model's; the hold threshold is
    SPAM_CLASSIFIER_HOLD (the counts' calibration is for the counts' scores alone)."""
    log_odds = (_log_odds(fitted.probability) + _log_odds(counted.probability)) / 2
    return Score(
        1.0 / (1.0 + math.exp(-log_odds)),
        tuple(f for w, f in fitted.contributions if w > 0)[:8],
        tuple(f for w, f in fitted.contributions if w < 0)[:8],
        learned=True,
        hold_above=None,
    )


def _log_odds(probability: float) -> float:
    probability = min(max(probability, 1e-9), 1 - 1e-9)
    return math.log(probability / (1 - probability))


_thresholds: dict[tuple[str, float], float | None] = {}


def fitted_score(model: regression.Loaded, submission: "Submission") -> Score:
    scored = regression.score_with(model, submission)
    key = (model.token, settings.SPAM_TARGET_FPR)
    if key not in _thresholds:
        _thresholds.clear()
        _thresholds[key] = threshold_for(model.ham_scores, settings.SPAM_TARGET_FPR)
    return Score(
        scored.probability,
        tuple(f for w, f in scored.contributions if w > 0)[:8],
        tuple(f for w, f in scored.contributions if w < 0)[:8],
        learned=True,
        hold_above=_thresholds[key],
    )


def _capped(features: set[str]) -> set[str]:
    if len(features) > MAX_FEATURES:
        return set(sorted(features, key=lambda f: (" " in f and ":" not in f, f))[:MAX_FEATURES])
    return features


def score_features(features: set[str], spam_total: int, ham_total: int) -> Score:
    if not (spam_total and ham_total):
        return Score(UNKNOWN_PROBABILITY, (), (), learned=False)
    by_id = {feature_id(f): f for f in _capped(features)}
    counts = {
        fid: (spam, ham)
        for fid, spam, ham in FeatureStat.objects.filter(feature__in=list(by_id)).values_list(
            "feature", "spam", "ham"
        )
    }
    return combined_score(
        [(by_id[fid], spam, ham) for fid, (spam, ham) in counts.items()], spam_total, ham_total
    )


def combined_score(
    counts: Iterable[tuple[str, int, int]], spam_total: int, ham_total: int
) -> Score:
    """The score of a submission from (feature, spam count, ham count) of its known features."""
    clues = []
    for feature, spam, ham in counts:
        probability = feature_probability(spam, ham, spam_total, ham_total)
        if abs(probability - 0.5) >= MIN_DISTANCE:
            clues.append((abs(probability - 0.5), probability, feature))
    clues.sort(reverse=True)
    clues = clues[:MAX_CLUES]
    if not clues:
        return Score(UNKNOWN_PROBABILITY, (), (), learned=True)
    probabilities = [p for _, p, _ in clues]
    probability = chi2_combined(probabilities)
    if len(clues) < MIN_CLUES:
        probability = 0.5 + (probability - 0.5) * UNSURE_WEIGHT * len(clues) / MIN_CLUES
    return Score(
        probability,
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


def learn(
    submissions: Iterable["Submission"],
    *,
    label: str,
    forget: bool = False,
    calibrate: bool = True,
    fit_after_commit: bool = True,
) -> int:
    """Add submissions to the statistics and the training examples as examples of `label`
    ("spam" or "ham"), or take them back out with forget=True (when a moderator reverses a
    decision).

    A few statements per batch of features, whatever the number of submissions. Ham learned
    also calibrates the hold threshold, unless calibrate=False (the starter corpus: its ham
    are our writing, not the site's readers). After the commit, a fit of the model is queued
    (fit_after_commit=False: the caller fits). Returns how many submissions were counted.
    """
    if label not in ("spam", "ham"):
        raise ValueError(f"label must be 'spam' or 'ham', not {label!r}")
    counts: Counter[int] = Counter()
    feature_sets = []
    examples = []
    for submission in submissions:
        features = features_of(submission)
        counts.update(feature_id(f) for f in features)
        feature_sets.append(features)
        examples.append((submission, features))
    learned = len(feature_sets)
    if not learned:
        return 0
    with transaction.atomic():
        if forget:
            forget_examples([s for s, _ in examples], label=label)
        else:
            keep_examples(examples, label=label, from_site=calibrate)
        if fit_after_commit:
            transaction.on_commit(queue_fit)
        totals, _ = LearnedTotals.objects.select_for_update().get_or_create(pk=1)
        if forget:
            _subtract(label, counts)
            setattr(totals, label, max(getattr(totals, label) - learned, 0))
        else:
            _add(label, counts)
            setattr(totals, label, getattr(totals, label) + learned)
        totals.save(update_fields=[label])
        if label == "ham" and not forget and calibrate:
            keep_ham_scores(leave_one_out_scores(feature_sets, totals.spam, totals.ham))
        if label == "ham":
            recalibrate(totals)
    return learned


def keep_examples(examples, *, label: str, from_site: bool, model=TrainingExample) -> None:
    """Store (submission, features) as examples of `label` (`model`: a migration's own)."""
    model.objects.bulk_create(
        [
            model(
                digest=regression.example_digest(submission),
                label=label,
                buckets=regression.pack_buckets(regression.buckets_of(submission, features)),
                from_site=from_site,
            )
            for submission, features in examples
        ],
        batch_size=500,
    )


def moderated_lessons(registry=None) -> Iterator[tuple["Submission", str]]:
    """(submission, label) of every stored submission of SPAM_MODERATED_MODELS that taught the
    filter. `registry`: a migration's apps, whose models have the schema of that moment (and
    no methods): each row's fields are copied into an unsaved live instance to ask it."""
    for model_label in settings.SPAM_MODERATED_MODELS:
        live = django_apps.get_model(model_label)
        model = (registry or django_apps).get_model(model_label)
        fields = [field.attname for field in model._meta.concrete_fields]
        taught = model.objects.filter(taught_as__in=("spam", "ham")).order_by("pk")
        for judged in taught.iterator(chunk_size=500):
            if model is not live:
                judged = live(**{name: getattr(judged, name) for name in fields})
            yield judged.as_submission(), judged.taught_as


def relearn_examples(registry=None, starter_rows: slice = slice(None)) -> tuple[int, int]:
    """Rebuild every training example with the current feature hash (after a change of
    SPAM_FEATURE_KEY or of the hash): the starter corpus's, and the site's own from each stored
    submission a moderator's decision taught (spam already purged is gone, and with it its
    lesson to the fitted model). The fitted models are dropped: the next fit scores, the counts
    until then. The counts model is not touched. A migration keeps the `starter_rows` of the
    corpus that existed when it was written. Returns (starter rows, site examples)."""
    from .corpus import STARTER, read_examples

    registry = registry or django_apps
    examples = registry.get_model("spam", "TrainingExample")
    with transaction.atomic():
        examples.objects.all().delete()
        registry.get_model("spam", "FittedModel").objects.all().delete()
        starter = read_examples(STARTER)[starter_rows]
        for label in ("spam", "ham"):
            keep_examples(
                [(e.submission, features_of(e.submission)) for e in starter if e.label == label],
                label=label,
                from_site=False,
                model=examples,
            )
        site = 0
        lessons = moderated_lessons(registry)
        while batch := list(itertools.islice(lessons, 500)):
            for label in ("spam", "ham"):
                keep_examples(
                    [(s, features_of(s)) for s, taught in batch if taught == label],
                    label=label,
                    from_site=True,
                    model=examples,
                )
            site += len(batch)
    return len(starter), site


def forget_examples(submissions, *, label: str) -> None:
    """Delete one stored example of `label` per submission (the same text twice: two)."""
    wanted = Counter(regression.example_digest(s) for s in submissions)
    stored = TrainingExample.objects.filter(digest__in=list(wanted), label=label)
    doomed = []
    for pk, digest in stored.values_list("id", "digest"):
        digest = bytes(digest)
        if wanted[digest] > 0:
            wanted[digest] -= 1
            doomed.append(pk)
    TrainingExample.objects.filter(id__in=doomed).delete()


def fit() -> bool:
    """Fit the model on every stored example now (False: too few of one label)."""
    return regression.refit()


def queue_fit() -> None:
    """Queue one fit for the task worker, unless one is queued and not started yet."""
    from . import tasks

    LearnedTotals.objects.get_or_create(pk=1)
    if LearnedTotals.objects.filter(pk=1, fit_pending=False).update(fit_pending=True):
        tasks.fit_classifier.enqueue()


def leave_one_out_scores(
    feature_sets: list[set[str]], spam_total: int, ham_total: int
) -> list[float]:
    """The score of each ham just learned as if it alone had not been (its own sighting taken
    off each of its features' ham counts): an honest sample of how the site's ham scores."""
    if not spam_total or ham_total < 2:
        return []
    feature_sets = [_capped(features) for features in feature_sets]
    ids = {feature_id(f) for features in feature_sets for f in features}
    stats = {}
    chunk = 5000  # bound the parameters of one statement
    ordered = list(ids)
    for start in range(0, len(ordered), chunk):
        stats.update(
            (fid, (spam, ham))
            for fid, spam, ham in FeatureStat.objects.filter(
                feature__in=ordered[start : start + chunk]
            ).values_list("feature", "spam", "ham")
        )
    scores = []
    for features in feature_sets:
        known = []
        for feature in features:
            spam, ham = stats.get(feature_id(feature), (0, 0))
            if spam + ham > 1:
                known.append((feature, spam, max(ham - 1, 0)))
        scores.append(combined_score(known, spam_total, ham_total - 1).probability)
    return scores


def keep_ham_scores(scores: list[float]) -> None:
    if not scores:
        return
    LearnedHamScore.objects.bulk_create([LearnedHamScore(score=s) for s in scores])
    oldest_kept = (
        LearnedHamScore.objects.order_by("-id").values_list("id", flat=True)[HAM_SCORES_KEPT - 1 :]
    ).first()
    if oldest_kept is not None:
        LearnedHamScore.objects.filter(id__lt=oldest_kept).delete()


def threshold_for(ham_scores: list[float], target_rate: float) -> float | None:
    """The threshold t (flag scores above t) that flags at most `target_rate` of ham like
    `ham_scores` with CALIBRATION_CONFIDENCE, never below 0.5 (unsure is not a reason to
    hold); None with fewer than MIN_HAM_SCORES.

    With t the k-th highest of n ham scores, the share of new ham above t is Beta(k, n - k + 1)
    distributed, so it is at most the rate r with the probability that Binomial(n, r) >= k:
    t is the k-th highest score for the largest k that keeps that probability high enough
    (the highest score when even k = 1 does not: with few ham, only clearer spam is flagged)."""
    if len(ham_scores) < MIN_HAM_SCORES:
        return None
    ordered = sorted(ham_scores, reverse=True)
    k = max(confident_rank(len(ordered), target_rate, CALIBRATION_CONFIDENCE), 1)
    return max(ordered[k - 1], UNKNOWN_PROBABILITY)


def confident_rank(n: int, rate: float, confidence: float) -> int:
    """The largest k with P(Binomial(n, rate) >= k) >= confidence (0 if none)."""
    if rate <= 0:
        return 0
    if rate >= 1:
        return n
    log_rate, log_rest = math.log(rate), math.log1p(-rate)
    below = 0.0  # P(Binomial(n, rate) < k)
    for k in range(n + 1):
        if 1.0 - below < confidence:
            return k - 1
        below += math.exp(
            math.lgamma(n + 1)
            - math.lgamma(k + 1)
            - math.lgamma(n - k + 1)
            + k * log_rate
            + (n - k) * log_rest
        )
    return n


def calibrated_threshold() -> float | None:
    scores = list(LearnedHamScore.objects.values_list("score", flat=True))
    return threshold_for(scores, settings.SPAM_TARGET_FPR)


def recalibrate(totals: LearnedTotals) -> None:
    """Set the hold threshold from the kept ham scores and SPAM_TARGET_FPR."""
    totals.hold_above = calibrated_threshold()
    totals.calibrated_for = settings.SPAM_TARGET_FPR
    totals.save(update_fields=["hold_above", "calibrated_for"])


# The SQL below is built from the table name and `label`, which learn() checks is "spam" or
# "ham"; values are passed as parameters.


def _add(label: str, counts: Counter[int]) -> None:
    table = connection.ops.quote_name(FeatureStat._meta.db_table)
    conflict = f"ON CONFLICT (feature) DO UPDATE SET {label} = {table}.{label} + excluded.{label}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement for the whole batch: arrays unnested into rows.
            cursor.execute(
                f"INSERT INTO {table} (feature, spam, ham) "  # noqa: S608 (quoted table name, label checked; values as parameters)
                f"SELECT f, 0, 0 FROM unnest(%s::bigint[]) AS f "
                f"ON CONFLICT (feature) DO NOTHING",
                [list(counts)],
            )
            cursor.execute(
                f"UPDATE {table} AS t SET {label} = t.{label} + d.n "  # noqa: S608 (quoted table name, label checked; values as parameters)
                f"FROM unnest(%s::bigint[], %s::integer[]) AS d(feature, n) "
                f"WHERE t.feature = d.feature",
                [list(counts), list(counts.values())],
            )
        else:
            rows = [(fid, n, 0) if label == "spam" else (fid, 0, n) for fid, n in counts.items()]
            cursor.executemany(
                f"INSERT INTO {table} (feature, spam, ham) VALUES (%s, %s, %s) "  # noqa: S608 (quoted table name, label checked; values as parameters)
                + conflict,
                rows,
            )


def _subtract(label: str, counts: Counter[int]) -> None:
    table = connection.ops.quote_name(FeatureStat._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS t SET {label} = GREATEST(t.{label} - d.n, 0) "  # noqa: S608 (quoted table name, label checked; values as parameters)
                f"FROM unnest(%s::bigint[], %s::integer[]) AS d(feature, n) "
                f"WHERE t.feature = d.feature",
                [list(counts), list(counts.values())],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET {label} = MAX({label} - %s, 0) "  # noqa: S608 (quoted table name, label checked; values as parameters)
                "WHERE feature = %s",
                [(n, fid) for fid, n in counts.items()],
            )


def forget_everything() -> None:
    """Drop every statistic (`spam reset` then relearns the starter corpus)."""
    with transaction.atomic():
        FeatureStat.objects.all().delete()
        LearnedHamScore.objects.all().delete()
        TrainingExample.objects.all().delete()
        FittedModel.objects.all().delete()
        LearnedTotals.objects.update_or_create(
            pk=1, defaults={"spam": 0, "ham": 0, "hold_above": None, "calibrated_for": None}
        )
