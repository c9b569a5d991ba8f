"""Measuring the defence on labelled examples, as `spam evaluate`, `spam crossvalidate` and
`spam benchmark` do.

Two kinds of figure. The operating point: what the defence's content decision does (spam,
held, approved), counted as precision, recall and false-positive rate, for "spam or held" and
for "marked spam" alone. The score curve: how well the classifier's scores rank spam above ham
whatever the threshold, as the recall reached at a few false-positive rates and the area
under the ROC curve; the same for the content decision read as a three-step score.
"""

import itertools
import math
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from . import classifier, defence
from .corpus import Example

# A new comment from a new guest, sent through a normal form at a person's pace.
NEW_GUEST = defence.Context(kind="comment", seconds_to_submit=45.0)

# The false-positive rates at which the score curve is read: 0.1%, 0.5%, 1% and 2% of ham.
FALSE_POSITIVE_RATES = (0.001, 0.005, 0.01, 0.02)

# The content decision as a score: held ranks above approved, marked spam above held.
DECISION_RANK = {defence.APPROVE: 0, defence.HOLD: 1, defence.SPAM: 2}


# --- The score curve (pure functions) ----------------------------------------------------


@dataclass(frozen=True)
class OperatingPoint:
    """Flag everything scoring at least `threshold`: that catches `recall` of the spam and
    `false_positive_rate` of the ham."""

    recall: float
    false_positive_rate: float
    threshold: float


def roc_curve(spam: Sequence[float], ham: Sequence[float]) -> list[tuple[int, int, float]]:
    """The ROC curve in counts: (ham flagged, spam flagged, threshold) when everything scoring
    at least `threshold` is flagged, one point per distinct score from the highest down, after
    (0, 0, inf). Equal scores are flagged together: no threshold can split a tie."""
    scored = sorted([(s, True) for s in spam] + [(s, False) for s in ham], reverse=True)
    points = [(0, 0, math.inf)]
    flagged_spam = flagged_ham = 0
    for threshold, tied in itertools.groupby(scored, key=lambda pair: pair[0]):
        for _, is_spam in tied:
            if is_spam:
                flagged_spam += 1
            else:
                flagged_ham += 1
        points.append((flagged_ham, flagged_spam, threshold))
    return points


def point_at_false_positive_rate(
    spam: Sequence[float], ham: Sequence[float], rate: float
) -> OperatingPoint | None:
    """The lowest threshold that flags at most `rate` of the ham, and the recall it reaches
    (None without both spam and ham). The budget is counted exactly (in fractions, so that any
    decimal rate works: 29% of 100 ham allows 29, where the float product says 28.99…)."""
    if not (spam and ham):
        return None
    allowed = Fraction(str(rate)) * len(ham)
    flagged_ham, flagged_spam, threshold = [p for p in roc_curve(spam, ham) if p[0] <= allowed][-1]
    return OperatingPoint(flagged_spam / len(spam), flagged_ham / len(ham), threshold)


def recall_at_false_positive_rate(
    spam: Sequence[float], ham: Sequence[float], rate: float
) -> float | None:
    """The most spam a threshold catches while flagging at most `rate` of the ham."""
    point = point_at_false_positive_rate(spam, ham, rate)
    return point.recall if point else None


def area_under_curve(spam: Sequence[float], ham: Sequence[float]) -> float | None:
    """The area under the ROC curve (trapezoids between its points): the chance that a random
    spam scores above a random ham, a tie counting half. None without both spam and ham."""
    if not (spam and ham):
        return None
    curve = roc_curve(spam, ham)
    twice_the_area = sum(
        (ham_b - ham_a) * (spam_a + spam_b)
        for (ham_a, spam_a, _), (ham_b, spam_b, _) in itertools.pairwise(curve)
    )
    return twice_the_area / (2 * len(spam) * len(ham))


# --- Figures on judged examples ----------------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    """One labelled example as the defence judged it."""

    label: str  # the truth: "spam" or "ham"
    score: float  # the classifier's probability, unrounded (the verdict's is rounded)
    decision: str  # the content decision: approve, hold or spam
    row: int = 0
    source: str = ""


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _rounded(value: float | None) -> float | None:
    """Four places; None for a figure that does not exist (or a threshold that flags nothing)."""
    return None if value is None or math.isinf(value) else round(value, 4)


@dataclass(frozen=True)
class Figures:
    """What the defence did on a set of labelled examples. A positive is a row whose content
    decision is spam or a hold; a held ham is a false positive (a reader waits)."""

    judgements: tuple[Judgement, ...] = ()
    seconds: float = 0.0  # spent judging

    @classmethod
    def combined(cls, parts: Iterable["Figures"]) -> "Figures":
        """The figures of several sets together (the folds of a cross-validation)."""
        parts = list(parts)
        return cls(
            tuple(j for part in parts for j in part.judgements), sum(p.seconds for p in parts)
        )

    @cached_property
    def _counts(self) -> Counter[tuple[str, str]]:
        return Counter((j.label, j.decision) for j in self.judgements)

    def _count(self, label: str, *decisions: str) -> int:
        return sum(self._counts[label, decision] for decision in decisions)

    # Counts.
    @property
    def spam(self) -> int:
        return self._count("spam", *DECISION_RANK)

    @property
    def ham(self) -> int:
        return self._count("ham", *DECISION_RANK)

    @property
    def true_positives_spam(self) -> int:
        """Spam marked spam."""
        return self._count("spam", defence.SPAM)

    @property
    def true_positives_hold(self) -> int:
        """Spam held."""
        return self._count("spam", defence.HOLD)

    @property
    def false_positives_spam(self) -> int:
        """Ham marked spam."""
        return self._count("ham", defence.SPAM)

    @property
    def false_positives_hold(self) -> int:
        """Ham held."""
        return self._count("ham", defence.HOLD)

    @property
    def true_positives(self) -> int:
        return self.true_positives_spam + self.true_positives_hold

    @property
    def false_positives(self) -> int:
        return self.false_positives_spam + self.false_positives_hold

    @property
    def true_negatives(self) -> int:
        return self._count("ham", defence.APPROVE)

    @property
    def false_negatives(self) -> int:
        return self._count("spam", defence.APPROVE)

    @property
    def positives_spam(self) -> int:
        """Rows marked spam, spam or ham."""
        return self.true_positives_spam + self.false_positives_spam

    @property
    def positives_hold(self) -> int:
        """Rows held, spam or ham."""
        return self.true_positives_hold + self.false_positives_hold

    # The operating point: spam or held.
    @property
    def precision(self) -> float:
        return _rate(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return _rate(self.true_positives, self.spam)

    @property
    def f1(self) -> float:
        both = self.precision + self.recall
        return 2 * self.precision * self.recall / both if both else 0.0

    @property
    def false_positive_rate(self) -> float:
        return _rate(self.false_positives, self.ham)

    # The same, split into marked spam and held.
    @property
    def precision_spam(self) -> float:
        return _rate(self.true_positives_spam, self.positives_spam)

    @property
    def precision_hold(self) -> float:
        return _rate(self.true_positives_hold, self.positives_hold)

    @property
    def recall_spam(self) -> float:
        return _rate(self.true_positives_spam, self.spam)

    @property
    def recall_hold(self) -> float:
        return _rate(self.true_positives_hold, self.spam)

    @property
    def false_positive_rate_spam(self) -> float:
        return _rate(self.false_positives_spam, self.ham)

    @property
    def false_positive_rate_hold(self) -> float:
        return _rate(self.false_positives_hold, self.ham)

    # The score curves.
    def scores(self, label: str) -> list[float]:
        """The classifier's scores of the rows labelled `label`."""
        return [j.score for j in self.judgements if j.label == label]

    def decision_ranks(self, label: str) -> list[int]:
        """The content decisions of the rows labelled `label`, as DECISION_RANK."""
        return [DECISION_RANK[j.decision] for j in self.judgements if j.label == label]

    @property
    def wrongly_flagged(self) -> list[Judgement]:
        """The false positives: ham marked spam or held."""
        return [j for j in self.judgements if j.label == "ham" and j.decision != defence.APPROVE]

    @property
    def missed(self) -> list[Judgement]:
        """The false negatives: spam approved."""
        return [j for j in self.judgements if j.label == "spam" and j.decision == defence.APPROVE]

    @property
    def false_positive_rows(self) -> list[int]:
        return [j.row for j in self.wrongly_flagged]

    @property
    def false_negative_rows(self) -> list[int]:
        return [j.row for j in self.missed]

    def as_dict(self) -> dict:
        """Every figure, counts first (the keys `spam evaluate` always printed come first)."""
        figures: dict = {
            name: getattr(self, name)
            for name in (
                "spam",
                "ham",
                "true_positives",
                "false_positives",
                "true_negatives",
                "false_negatives",
                "positives_spam",
                "positives_hold",
            )
        }
        for name in ("precision", "recall", "f1", "false_positive_rate"):
            figures[name] = _rounded(getattr(self, name))
        for name in ("true_positives", "false_positives"):
            for part in ("spam", "hold"):
                figures[f"{name}_{part}"] = getattr(self, f"{name}_{part}")
        for name in ("precision", "recall", "false_positive_rate"):
            for part in ("spam", "hold"):
                figures[f"{name}_{part}"] = _rounded(getattr(self, f"{name}_{part}"))
        curves = {
            "": (self.scores("spam"), self.scores("ham")),
            "defence_": (self.decision_ranks("spam"), self.decision_ranks("ham")),
        }
        for prefix, (spam, ham) in curves.items():
            points = {
                rate: point_at_false_positive_rate(spam, ham, rate) for rate in FALSE_POSITIVE_RATES
            }
            for rate, point in points.items():
                figures[f"{prefix}recall_at_fpr_{rate}"] = _rounded(point and point.recall)
            figures[f"{prefix}auc"] = _rounded(area_under_curve(spam, ham))
            if not prefix:
                for rate, point in points.items():
                    figures[f"threshold_at_fpr_{rate}"] = _rounded(point and point.threshold)
        return figures


def evaluate(examples: Iterable[Example]) -> Figures:
    """The content verdict and the classifier's score on each example; nothing is learned or
    counted."""
    judgements = []
    seconds = 0.0
    for example in examples:
        started = time.perf_counter()
        verdict = defence.check(example.submission, NEW_GUEST, record=False)
        seconds += time.perf_counter() - started
        # The verdict's score is rounded to 4 places, which ties many spam at 1.0: the curve
        # needs the classifier's own.
        score = classifier.score(example.submission).probability
        judgements.append(
            Judgement(example.label, score, verdict.content_decision(), example.row, example.source)
        )
    return Figures(tuple(judgements), seconds)
