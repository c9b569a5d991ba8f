"""Measuring the defence on labelled examples, as `spam evaluate` and `spam benchmark` do."""

import time
from dataclasses import asdict, dataclass, field

from . import defence
from .corpus import Example

# A new comment from a new guest, sent through a normal form at a person's pace.
NEW_GUEST = defence.Context(kind="comment", seconds_to_submit=45.0)


@dataclass
class Figures:
    spam: int = 0
    ham: int = 0
    true_positives: int = 0
    false_positives: int = 0
    true_negatives: int = 0
    false_negatives: int = 0
    positives_spam: int = 0  # positives whose content verdict was spam
    positives_hold: int = 0  # positives held for a content reason
    seconds: float = 0.0
    false_positive_rows: list[int] = field(default_factory=list)
    false_negative_rows: list[int] = field(default_factory=list)

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.spam if self.spam else 0.0

    @property
    def f1(self) -> float:
        both = self.precision + self.recall
        return 2 * self.precision * self.recall / both if both else 0.0

    @property
    def false_positive_rate(self) -> float:
        return self.false_positives / self.ham if self.ham else 0.0

    def as_dict(self) -> dict:
        counts = asdict(self)
        del counts["seconds"], counts["false_positive_rows"], counts["false_negative_rows"]
        return {
            **counts,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "false_positive_rate": round(self.false_positive_rate, 3),
        }


def evaluate(examples: list[Example]) -> Figures:
    """The content verdict on each example; nothing is learned or counted."""
    figures = Figures()
    started = time.perf_counter()
    for example in examples:
        verdict = defence.check(example.submission, NEW_GUEST, record=False)
        decision = verdict.content_decision()
        flagged = decision != defence.APPROVE
        if example.label == "spam":
            figures.spam += 1
            if flagged:
                figures.true_positives += 1
            else:
                figures.false_negatives += 1
                figures.false_negative_rows.append(example.row)
        else:
            figures.ham += 1
            if flagged:
                figures.false_positives += 1
                figures.false_positive_rows.append(example.row)
            else:
                figures.true_negatives += 1
        if flagged:
            if decision == defence.SPAM:
                figures.positives_spam += 1
            else:
                figures.positives_hold += 1
    figures.seconds = time.perf_counter() - started
    return figures
