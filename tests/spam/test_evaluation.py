"""The measurement's arithmetic on small hand-made sets whose right answers are worked out by
hand: the ROC curve, recall at a false-positive rate, the area under the curve, and the
operating point split into marked spam and held."""

import itertools
import math
import random

import pytest

from painrelief.spam import classifier
from painrelief.spam.corpus import Example
from painrelief.spam.defence import Submission
from painrelief.spam.evaluation import (
    Figures,
    Judgement,
    area_under_curve,
    evaluate,
    point_at_false_positive_rate,
    recall_at_false_positive_rate,
    roc_curve,
)

# 4 spam and 6 ham, every score different. Ranked from the top: S .95, S .8, H .7, S .6,
# H .5, H .4, S .3, H .2, H .1, H .05. Pairs where the spam scores higher: 6 + 6 + 5 + 3 = 20
# of 24, so the AUC is 5/6.
SPAM = [0.95, 0.8, 0.6, 0.3]
HAM = [0.7, 0.5, 0.4, 0.2, 0.1, 0.05]

# The same with two spam tied with the highest ham at 0.7: no threshold takes them without it.
# Pairs: 6 + (5 + ½) + (5 + ½) + 3 = 20 of 24 (a tie counted as a win would give 21/24, as a
# loss 19/24).
TIED_SPAM = [0.9, 0.7, 0.7, 0.3]
TIED_HAM = [0.7, 0.5, 0.4, 0.2, 0.1, 0.05]


def test_the_curve_has_one_point_per_distinct_score_in_counts_from_the_top():
    assert roc_curve(SPAM, HAM) == [
        (0, 0, math.inf),
        (0, 1, 0.95),
        (0, 2, 0.8),
        (1, 2, 0.7),
        (1, 3, 0.6),
        (2, 3, 0.5),
        (3, 3, 0.4),
        (3, 4, 0.3),
        (4, 4, 0.2),
        (5, 4, 0.1),
        (6, 4, 0.05),
    ]


def test_tied_scores_move_the_curve_together():
    assert roc_curve(TIED_SPAM, TIED_HAM) == [
        (0, 0, math.inf),
        (0, 1, 0.9),
        (1, 3, 0.7),
        (2, 3, 0.5),
        (3, 3, 0.4),
        (3, 4, 0.3),
        (4, 4, 0.2),
        (5, 4, 0.1),
        (6, 4, 0.05),
    ]


@pytest.mark.parametrize(
    ("rate", "recall", "false_positive_rate", "threshold"),
    [
        (0.01, 0.5, 0.0, 0.8),  # 1% of 6 ham allows none: stop above the ham at 0.7
        (0.2, 0.75, 1 / 6, 0.6),  # 20% of 6 allows 1.2, so one ham
        (0.5, 1.0, 0.5, 0.3),  # exactly 3 ham allowed: the 3rd ham (0.4) is within the budget
        (1.0, 1.0, 1.0, 0.05),  # everything flagged
    ],
)
def test_recall_at_a_false_positive_rate_is_the_best_threshold_within_the_budget(
    rate, recall, false_positive_rate, threshold
):
    point = point_at_false_positive_rate(SPAM, HAM, rate)

    assert (point.recall, point.false_positive_rate, point.threshold) == pytest.approx(
        (recall, false_positive_rate, threshold)
    )
    assert recall_at_false_positive_rate(SPAM, HAM, rate) == pytest.approx(recall)


def test_a_tie_with_a_ham_is_not_split_to_reach_more_recall():
    assert recall_at_false_positive_rate(TIED_SPAM, TIED_HAM, 0.01) == 0.25
    assert recall_at_false_positive_rate(TIED_SPAM, TIED_HAM, 0.2) == 0.75


def test_the_budget_is_counted_exactly_at_the_rates_we_report():
    """1% of 300 ham allows exactly 3 ham flagged (at most, not fewer than), and 0.5% one."""
    ham = [float(n) for n in range(300)]  # ham 299, 298, 297 score above the spam at 296.5
    spam = [1000.0, 296.5]

    assert point_at_false_positive_rate(spam, ham, 0.01).recall == 1.0
    assert point_at_false_positive_rate(spam, ham, 0.005).recall == 0.5


def test_the_budget_is_counted_exactly_whatever_the_rate():
    """29% of 100 ham allows 29, where the float product 0.29 * 100 is 28.999…"""
    ham = [float(n) for n in range(100)]  # the 29 ham from 71 to 99 score above 70.5
    spam = [1000.0, 70.5]

    assert recall_at_false_positive_rate(spam, ham, 0.29) == 1.0


def test_the_area_under_the_curve_counts_pairs_and_half_of_each_tie():
    assert area_under_curve(SPAM, HAM) == pytest.approx(20 / 24)
    assert area_under_curve(TIED_SPAM, TIED_HAM) == pytest.approx(20 / 24)
    assert area_under_curve([1.0, 0.9], [0.1, 0.2]) == 1.0
    assert area_under_curve([0.1], [0.9]) == 0.0
    assert area_under_curve([0.5, 0.5], [0.5]) == 0.5


def test_without_both_labels_the_curve_is_undefined():
    assert area_under_curve([0.9], []) is None
    assert area_under_curve([], [0.1]) is None
    assert recall_at_false_positive_rate([], [0.1], 0.01) is None


def test_the_curve_agrees_with_the_definitions_on_random_scores_with_ties():
    """Checked against the definitions themselves: every pair for the AUC, every threshold
    for the recall."""
    rng = random.Random(5)  # noqa: S311 (reproducible test data)
    for _ in range(30):
        spam = [rng.choice([0.1, 0.3, 0.5, 0.7, 0.9, 1.0]) for _ in range(rng.randint(1, 30))]
        ham = [rng.choice([0.0, 0.1, 0.3, 0.5, 0.7]) for _ in range(rng.randint(1, 60))]
        pairs = sum(
            1.0 if s > h else 0.5 if s == h else 0.0 for s, h in itertools.product(spam, ham)
        )
        assert area_under_curve(spam, ham) == pytest.approx(pairs / (len(spam) * len(ham)))
        for rate in (0.0, 0.02, 0.1, 0.5):
            best = max(
                sum(s >= t for s in spam)
                for t in [math.inf, *spam, *ham]
                if sum(h >= t for h in ham) <= rate * len(ham) + 1e-9
            )
            assert recall_at_false_positive_rate(spam, ham, rate) == best / len(spam)


def judged(spam_decisions, ham_decisions, spam_scores=None, ham_scores=None):
    spam_scores = spam_scores or [0.5] * len(spam_decisions)
    ham_scores = ham_scores or [0.5] * len(ham_decisions)
    return Figures(
        tuple(Judgement("spam", s, d) for s, d in zip(spam_scores, spam_decisions, strict=True))
        + tuple(Judgement("ham", s, d) for s, d in zip(ham_scores, ham_decisions, strict=True))
    )


# 4 spam: 2 marked spam, 1 held, 1 approved; 6 ham: 1 marked spam, 1 held, 4 approved.
SPLIT = judged(["spam", "spam", "hold", "approve"], ["spam", "hold", *["approve"] * 4])


def test_a_held_ham_is_a_false_positive_and_the_split_says_which_kind():
    figures = SPLIT.as_dict()

    assert (figures["true_positives"], figures["false_positives"]) == (3, 2)
    assert (figures["true_negatives"], figures["false_negatives"]) == (4, 1)
    assert (figures["true_positives_spam"], figures["true_positives_hold"]) == (2, 1)
    assert (figures["false_positives_spam"], figures["false_positives_hold"]) == (1, 1)
    assert (figures["positives_spam"], figures["positives_hold"]) == (3, 2)
    assert figures["precision"] == 0.6 and figures["recall"] == 0.75
    assert figures["false_positive_rate"] == round(2 / 6, 4)
    assert figures["precision_spam"] == round(2 / 3, 4) and figures["recall_spam"] == 0.5
    assert figures["false_positive_rate_spam"] == round(1 / 6, 4)
    assert figures["precision_hold"] == 0.5 and figures["recall_hold"] == 0.25
    assert figures["false_positive_rate_hold"] == round(1 / 6, 4)


def test_the_content_decision_read_as_a_score_gives_the_defence_curve():
    """Ranks (spam 2, held 1, approved 0): spam 2, 2, 1, 0 against ham 2, 1, 0, 0, 0, 0.
    Flagging "marked spam" catches 2 of 4 spam for 1 of 6 ham, "spam or held" 3 of 4 for 2 of
    6. Pairs: each spam 2 beats 5 ham and ties 1 (5.5, twice); the spam 1 beats 4 and
    ties 1 (4.5); the spam 0 ties 4 (2): 17.5 of 24."""
    spam, ham = SPLIT.decision_ranks("spam"), SPLIT.decision_ranks("ham")
    figures = SPLIT.as_dict()

    assert (spam, ham) == ([2, 2, 1, 0], [2, 1, 0, 0, 0, 0])
    assert figures["defence_recall_at_fpr_0.01"] == 0.0  # even marked spam flags a ham
    assert recall_at_false_positive_rate(spam, ham, 0.2) == 0.5
    assert recall_at_false_positive_rate(spam, ham, 0.34) == 0.75
    assert figures["defence_auc"] == round(17.5 / 24, 4)


def test_the_classifier_curve_uses_the_scores_not_the_decisions():
    figures = judged(["approve"] * 4, ["approve"] * 6, SPAM, HAM).as_dict()

    assert figures["recall"] == 0.0  # nothing was flagged at the operating point
    assert figures["recall_at_fpr_0.01"] == 0.5 and figures["threshold_at_fpr_0.01"] == 0.8
    assert figures["auc"] == round(20 / 24, 4)


def test_the_figures_that_evaluate_always_printed_come_first_and_in_order():
    assert list(SPLIT.as_dict())[:12] == [
        "spam",
        "ham",
        "true_positives",
        "false_positives",
        "true_negatives",
        "false_negatives",
        "positives_spam",
        "positives_hold",
        "precision",
        "recall",
        "f1",
        "false_positive_rate",
    ]


def test_combined_figures_pool_the_rows_of_every_part():
    both = Figures.combined([SPLIT, judged(["spam"], ["approve"])])

    assert (both.spam, both.ham, both.true_positives_spam, both.true_negatives) == (5, 7, 3, 5)


@pytest.mark.django_db
def test_evaluate_ranks_by_the_classifiers_own_score_not_the_verdicts_rounded_one():
    """The verdict keeps 4 places, which ties many spam at 1.0; the curve must not."""
    classifier.forget_everything()
    classifier.learn(
        [Submission("cheap pills online now"), Submission("cheap casino")], label="spam"
    )
    classifier.learn([Submission("my neck hurts"), Submission("cheap heat pack")], label="ham")
    example = Example(Submission("cheap pills for my neck"), "spam", row=2)

    judgement = evaluate([example]).judgements[0]

    probability = classifier.score(example.submission).probability
    assert judgement.score == probability != round(probability, 4)
