"""Cross-validation of the spam defence on labelled files, as `spam crossvalidate` does.

The rows are dealt into k folds, seeded and stratified (by file and label, so that each fold
has its share of each file's spam and ham), the rows of one normalised text always in the same
fold (a duplicate on both sides would be remembered, not recognised). Each fold's rows are
judged twice:

- cold: with only what ships, the classifier knowing the starter corpus and nothing else;
- trained: with what ships plus the other folds, learned as moderators' decisions would be.

Every fold starts from the same cold state, and every change to the classifier's statistics is
rolled back: the database is left exactly as it was.
"""

import random
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

from . import classifier
from .corpus import STARTER, Example, normalised_text, read_examples
from .evaluation import Figures, evaluate


@dataclass(frozen=True)
class Fold:
    number: int  # from 1
    train_rows: int
    learn_seconds: float
    cold: Figures
    trained: Figures


@dataclass(frozen=True)
class CrossValidation:
    folds: tuple[Fold, ...]
    seed: int
    seconds: float

    @property
    def cold(self) -> Figures:
        return Figures.combined(fold.cold for fold in self.folds)

    @property
    def trained(self) -> Figures:
        return Figures.combined(fold.trained for fold in self.folds)


def assign_folds(examples: Sequence[Example], *, folds: int, seed: int) -> list[int]:
    """The fold (0 to folds - 1) of each example: the same for the same seed, each fold with
    its share of every (file, label), and examples with the same normalised text together."""
    groups: dict[str, list[int]] = {}
    for index, example in enumerate(examples):
        groups.setdefault(normalised_text(example.submission.text), []).append(index)
    ordered = list(groups.values())
    random.Random(seed).shuffle(ordered)  # noqa: S311 (a reproducible split, no secret)
    ordered.sort(key=len, reverse=True)  # stable: the big groups first, the rest shuffled
    in_fold: list[Counter[tuple[str, str]]] = [Counter() for _ in range(folds)]
    sizes = [0] * folds
    assignment = [0] * len(examples)
    for group in ordered:
        strata = Counter((examples[i].source, examples[i].label) for i in group)
        stratum = strata.most_common(1)[0][0]
        fold = min(range(folds), key=lambda f: (in_fold[f][stratum], sizes[f], f))
        in_fold[fold].update(strata)
        sizes[fold] += len(group)
        for index in group:
            assignment[index] = fold
    return assignment


def learn_examples(examples: Iterable[Example], *, calibrate: bool = True) -> None:
    """Learn the examples, then fit the model on everything learned (as the worker would)."""
    examples = list(examples)
    for label in ("spam", "ham"):
        classifier.learn(
            [e.submission for e in examples if e.label == label],
            label=label,
            calibrate=calibrate,
            fit_after_commit=False,
        )
    classifier.fit()


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever the block writes is undone when it ends (a savepoint inside a transaction)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def crossvalidate(examples: Sequence[Example], *, folds: int = 5, seed: int = 1) -> CrossValidation:
    """Each fold judged cold and trained (see the module's docstring); the database's
    statistics are left as they were."""
    if not 2 <= folds <= len(examples):
        raise ValueError(f"folds must be from 2 to the number of rows ({len(examples)})")
    started = time.perf_counter()
    assignment = assign_folds(examples, folds=folds, seed=seed)
    results = []
    with rolled_back():
        classifier.forget_everything()
        learn_examples(read_examples(STARTER), calibrate=False)
        for number in range(folds):
            test = [e for e, f in zip(examples, assignment, strict=True) if f == number]
            train = [e for e, f in zip(examples, assignment, strict=True) if f != number]
            cold = evaluate(test)
            with rolled_back():
                learning = time.perf_counter()
                learn_examples(train)
                learn_seconds = time.perf_counter() - learning
                trained = evaluate(test)
            results.append(Fold(number + 1, len(train), learn_seconds, cold, trained))
    return CrossValidation(tuple(results), seed, time.perf_counter() - started)
