"""Cross-validation: seeded stratified folds that keep duplicates together, each fold learned
from the same cold state, and a database left exactly as it was."""

import csv
import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from painrelief.spam import classifier
from painrelief.spam.corpus import Example, normalised_text, read_examples
from painrelief.spam.crossvalidation import assign_folds, crossvalidate, learn_examples
from painrelief.spam.defence import Submission
from painrelief.spam.evaluation import evaluate
from painrelief.spam.models import FeatureStat, FittedModel, TrainingExample

DRUGS = ["pills", "viagra", "casino", "crypto", "loans", "replica watches"]
PARTS = ["neck", "shoulder", "lower back", "knee", "hip", "wrist", "jaw", "ankle", "elbow"]


def rows():
    """12 spam and 18 ham, all different."""
    spam = [
        (f"Buy cheap {drug} online now, visit http://{n}{drug[:4]}.example.top", "spam")
        for n in range(2)
        for drug in DRUGS
    ]
    ham = [
        (f"My {part} hurt after {activity}; the stretch and the heat pack helped.", "ham")
        for activity in ("gardening", "a long drive")
        for part in PARTS
    ]
    return spam + ham


def write_csv(path, rows_):
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["text", "label"])
        writer.writerows(rows_)
    return str(path)


def examples_of(rows_, source="a.csv"):
    return [
        Example(Submission(text), label, row, source)
        for row, (text, label) in enumerate(rows_, start=2)
    ]


def run(*args):
    out = StringIO()
    call_command("spam", *args, stdout=out)
    return out.getvalue()


def by_row(judgement):
    return judgement.row


def learned_state():
    return (
        sorted(FeatureStat.objects.values_list("feature", "spam", "ham")),
        classifier.totals(),
        sorted(bytes(b) for b in TrainingExample.objects.values_list("buckets", flat=True)),
        list(FittedModel.objects.values_list("token", flat=True)),
    )


def test_duplicates_are_counted_as_the_corpora_readme_says():
    """NFKC, case folding, HTML entities, whitespace runs."""
    assert normalised_text("  Caf&eacute;\u00a0GREAT\n\tvideo ") == "café great video"
    assert normalised_text("ｃｈｅｃｋ my channel") == normalised_text("CHECK my  channel")
    assert normalised_text("it&#39;s") == "it's"


def test_folds_are_stratified_by_label():
    examples = examples_of(
        [(f"spam {n}", "spam") for n in range(10)] + [(f"ham {n}", "ham") for n in range(40)]
    )

    folds = assign_folds(examples, folds=5, seed=1)

    per_fold = Counter((fold, e.label) for fold, e in zip(folds, examples, strict=True))
    assert all(per_fold[f, "spam"] == 2 and per_fold[f, "ham"] == 8 for f in range(5))


def test_pooled_files_are_stratified_by_file_and_label():
    examples = examples_of([(f"a spam {n}", "spam") for n in range(5)], "a.csv") + examples_of(
        [(f"b spam {n}", "spam") for n in range(5)] + [(f"b ham {n}", "ham") for n in range(10)],
        "b.csv",
    )

    for seed in range(10):
        folds = assign_folds(examples, folds=5, seed=seed)

        per_fold = Counter((f, e.source, e.label) for f, e in zip(folds, examples, strict=True))
        assert all(per_fold[f, "a.csv", "spam"] == 1 for f in range(5))
        assert all(per_fold[f, "b.csv", "spam"] == 1 for f in range(5))
        assert all(per_fold[f, "b.csv", "ham"] == 2 for f in range(5))


def test_the_same_normalised_text_stays_in_one_fold_across_files():
    texts = [(f"comment number {n}", "ham") for n in range(20)]
    examples = (
        examples_of(texts, "a.csv")
        + examples_of([(t.upper() + "  ", label) for t, label in texts[:10]], "b.csv")
        + examples_of([("Check MY channel &amp; subscribe", "spam")] * 3, "b.csv")
    )

    for seed in range(5):
        folds = assign_folds(examples, folds=4, seed=seed)
        by_text = {}
        for fold, example in zip(folds, examples, strict=True):
            by_text.setdefault(normalised_text(example.submission.text), set()).add(fold)
        assert all(len(fold_set) == 1 for fold_set in by_text.values())


def test_folds_depend_on_the_seed_and_only_on_it():
    examples = examples_of(rows())

    assert assign_folds(examples, folds=5, seed=1) == assign_folds(examples, folds=5, seed=1)
    assert assign_folds(examples, folds=5, seed=1) != assign_folds(examples, folds=5, seed=2)


@pytest.mark.django_db
def test_crossvalidate_leaves_what_was_learned_exactly_as_it_was(tmp_path):
    learn_examples(examples_of([("Thank you, my knee is better", "ham")] * 3))
    before = learned_state()

    run("crossvalidate", write_csv(tmp_path / "rows.csv", rows()), "--folds", "3")

    assert learned_state() == before


@pytest.mark.django_db
def test_each_fold_learns_the_starter_corpus_and_its_training_folds_and_nothing_else():
    """The same as resetting to what ships, learning the other folds, and judging the fold."""
    examples = examples_of(rows())
    learn_examples(examples_of([("cheap pills online", "ham")] * 20))  # to be forgotten

    result = crossvalidate(examples, folds=3, seed=4)

    folds = assign_folds(examples, folds=3, seed=4)
    run("reset")
    cold = evaluate(examples).judgements
    assert sorted((j for f in result.folds for j in f.cold.judgements), key=by_row) == list(cold)
    for fold in result.folds:
        test = [e for e, f in zip(examples, folds, strict=True) if f == fold.number - 1]
        train = [e for e, f in zip(examples, folds, strict=True) if f != fold.number - 1]
        run("reset")
        learn_examples(train)
        assert fold.trained.judgements == evaluate(test).judgements
        assert fold.train_rows == len(train)


@pytest.mark.django_db
def test_crossvalidate_json_has_both_states_every_fold_and_the_curve(tmp_path):
    path = write_csv(tmp_path / "rows.csv", rows())

    result = json.loads(run("crossvalidate", path, "--folds", "3", "--seed", "2", "--json"))

    assert (result["rows"], result["folds"], result["seed"]) == (30, 3, 2)
    assert [fold["fold"] for fold in result["per_fold"]] == [1, 2, 3]
    assert sum(fold["test_rows"] for fold in result["per_fold"]) == 30
    for state in ("cold", "trained"):
        assert (result[state]["spam"], result[state]["ham"]) == (12, 18)
        assert {"recall_at_fpr_0.01", "auc", "false_positive_rate_hold"} <= set(result[state])
    assert result["trained"]["auc"] == 1.0  # these toy texts are easy once learned


@pytest.mark.django_db
def test_crossvalidate_pools_several_files_and_prints_each_fold(tmp_path):
    first = write_csv(tmp_path / "a.csv", rows()[::2])
    second = write_csv(tmp_path / "b.csv", rows()[1::2])

    output = run("crossvalidate", first, second, "--folds", "3")

    assert "30 rows (12 spam, 18 ham), 3 folds, seed 1." in output
    assert output.count("Fold ") == 3 and "Trained (what ships and the other folds)" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "folds", "message"),
    [
        ("text,label\nhello,spam\nworld,maybe\n", "2", "bad.csv: row 3: label “maybe”"),
        ("text,label\nhello,spam\nworld,ham\n", "1", "folds must be from 2"),
        ("text,label\nhello,spam\nworld,ham\n", "3", "folds must be from 2"),
    ],
)
def test_crossvalidate_refuses_a_broken_file_or_impossible_folds(tmp_path, content, folds, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    before = learned_state()

    with pytest.raises(CommandError, match=message):
        run("crossvalidate", str(path), "--folds", folds)

    assert learned_state() == before


def test_a_source_file_is_named_on_each_example(tmp_path):
    path = write_csv(tmp_path / "rows.csv", rows()[:2])

    assert {e.source for e in read_examples(path)} == {"rows.csv"}
