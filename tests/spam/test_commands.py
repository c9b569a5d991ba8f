"""`manage.py spam train | evaluate | reset`: labelled CSV files, figures, clear errors."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from painrelief.spam import classifier
from painrelief.spam.corpus import STARTER, read_examples
from painrelief.spam.models import FeatureStat

pytestmark = pytest.mark.django_db

ROWS = (
    "text,label,author,email,url\n"
    '"Buy cheap pills online, no prescription http://pills.example.ru",spam,Cheap Pills,'
    "x91@mail.top,http://pills.example.ru\n"
    '"Casino bonus, win big tonight http://casino.example.top",spam,Best Casino,b@c.top,\n'
    '"My neck is stiff every morning, heat helps a little.",ham,Maria,maria@post.example,\n'
    '"Thank you, the stretch eased the knot by my shoulder blade.",ham,Jonas,j@mailbox.example,\n'
)


@pytest.fixture
def csv_file(tmp_path):
    def write(content, name="rows.csv", encoding="utf-8"):
        path = tmp_path / name
        path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
        return str(path)

    return write


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("spam", *args, stdout=out)
    return out.getvalue()


def test_train_learns_every_row_and_says_how_fast(csv_file):
    classifier.forget_everything()

    output = run("train", csv_file(ROWS))

    assert classifier.totals() == (2, 2)
    assert "Learned 4 rows" in output and "rows/s" in output


def test_evaluate_prints_the_figures_one_per_line_as_fractions_and_changes_nothing(csv_file):
    """The twelve figures it always printed come first, in the same order; the split into
    marked spam and held and the score curve follow."""
    classifier.forget_everything()
    run("train", csv_file(ROWS))
    stats_before = FeatureStat.objects.count(), classifier.totals()

    output = run("evaluate", csv_file(ROWS))

    lines = dict(line.split(": ") for line in output.strip().splitlines())
    assert list(lines)[:12] == [
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
    assert {"false_positives_hold", "recall_at_fpr_0.001", "auc", "defence_auc"} <= set(lines)
    assert (lines["spam"], lines["ham"]) == ("2", "2")
    assert (lines["recall"], lines["false_positive_rate"]) == ("1.0", "0.0")
    assert int(lines["positives_spam"]) + int(lines["positives_hold"]) == 2
    assert (FeatureStat.objects.count(), classifier.totals()) == stats_before


def test_evaluate_json_is_one_object_with_the_same_figures(csv_file):
    figures = json.loads(run("evaluate", csv_file(ROWS), "--json"))

    assert figures["spam"] == 2 and figures["ham"] == 2
    assert 0.0 <= figures["precision"] <= 1.0 and "false_positive_rate" in figures


def test_evaluate_leaves_out_policy_holds_such_as_first_time_guests(csv_file, settings):
    """Every row is a new guest: the first-time hold would flag all ham if it counted."""
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = True
    classifier.forget_everything()
    run("train", csv_file(ROWS))

    figures = json.loads(run("evaluate", csv_file(ROWS), "--json"))

    assert figures["false_positives"] == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("words,label\nhello,spam\n", "row 1: the header has no text column"),
        ("text\nhello\n", "row 1: the header has no label column"),
        ("text,label\nhello,spam\nworld,maybe\n", "row 3: label “maybe” is not spam or ham"),
        ('text,label\nhello,spam\n"two\nlines",ham\nbad,\n', "row 4: label “” is not"),
        (b"text,label\nhello,spam\ncaf\xe9 latin-1,ham\n", "row 3: not UTF-8 text"),
        (b"", "row 1: the header has no text and no label column"),
    ],
)
@pytest.mark.parametrize("action", ["train", "evaluate"])
def test_a_broken_file_gets_a_clear_error_with_the_row_number(csv_file, content, message, action):
    before = classifier.totals()

    with pytest.raises(CommandError, match=message):
        run(action, csv_file(content))

    assert classifier.totals() == before


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="No such file"):
        run("train", "/nonexistent/rows.csv")


def test_reset_forgets_what_was_learned_and_keeps_the_starter_corpus(csv_file):
    starter_rows = len(read_examples(STARTER))
    run("reset")
    after_reset = classifier.totals()
    run("train", csv_file(ROWS))

    run("reset")

    assert sum(after_reset) == starter_rows
    assert classifier.totals() == after_reset


def test_benchmark_prints_both_folds_together_and_leaves_the_database_as_it_was(csv_file):
    before = sorted(FeatureStat.objects.values_list("feature", "spam", "ham")), classifier.totals()

    output = run("benchmark", csv_file(ROWS))

    together = output.split("Both folds together:\n")[1]
    lines = dict(line.strip().split(": ") for line in together.strip().splitlines())
    assert list(lines)[:4] == ["spam", "ham", "true_positives", "false_positives"]
    assert (lines["spam"], lines["ham"]) == ("2", "2") and "auc" in lines
    assert "Scoring a 10 KB text" in output
    after = sorted(FeatureStat.objects.values_list("feature", "spam", "ham")), classifier.totals()
    assert after == before


def test_relearn_rebuilds_the_examples_and_says_so(settings):
    from painrelief.spam.models import TrainingExample

    settings.SPAM_FEATURE_KEY = "a changed key"
    out = io.StringIO()
    call_command("spam", "relearn", "--dry-run", stdout=out)
    assert "Would relearn" in out.getvalue()
    TrainingExample.objects.all().delete()
    call_command("spam", "relearn", stdout=out)
    assert (
        "Relearned" in out.getvalue() and TrainingExample.objects.filter(from_site=False).exists()
    )
