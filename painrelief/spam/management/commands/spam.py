import json
import random
import statistics
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from painrelief.spam import classifier, services
from painrelief.spam.corpus import BENCHMARK, STARTER, CorpusError, read_examples
from painrelief.spam.crossvalidation import crossvalidate
from painrelief.spam.defence import Submission
from painrelief.spam.evaluation import Figures, evaluate

SPEED_TEST_WORDS = "my husband neck pain numb left arm physio disc knot shoulder blade heat"


class Rollback(Exception):
    """Raised to undo the benchmark's training."""


class Command(BaseCommand):
    help = (
        "The spam filter: `train FILE.csv` teaches it, `evaluate FILE.csv` measures it (changes "
        "nothing), `reset` forgets all but the starter corpus, `relearn` rebuilds the fitted "
        "model's examples after a change of SPAM_FEATURE_KEY, `purge` deletes old spam, "
        "`benchmark` trains on half of our labelled corpus and evaluates on the other half, "
        "`crossvalidate FILE.csv...` measures it by k-fold cross-validation (changes nothing). "
        "CSV files have a header with columns text,label (spam or ham) and optional "
        "author,email,url."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        train = commands.add_parser("train", help="Learn the rows of a labelled CSV file.")
        train.add_argument("file")
        evaluate_parser = commands.add_parser(
            "evaluate", help="Print how the defence judges a labelled CSV file; learns nothing."
        )
        evaluate_parser.add_argument("file")
        evaluate_parser.add_argument("--json", action="store_true", help="One JSON object.")
        evaluate_parser.add_argument(
            "--show-errors", action="store_true", help="List the rows judged wrongly."
        )
        crossvalidate_parser = commands.add_parser(
            "crossvalidate",
            help="Seeded, stratified k-fold cross-validation of labelled CSV files (several are "
            "pooled; rows with the same normalised text stay in one fold). Each fold is judged "
            "cold (only the starter corpus) and trained (plus the other folds); the database is "
            "left as it was.",
        )
        crossvalidate_parser.add_argument("files", nargs="+", metavar="file")
        crossvalidate_parser.add_argument("--folds", type=int, default=5)
        crossvalidate_parser.add_argument("--seed", type=int, default=1)
        crossvalidate_parser.add_argument("--json", action="store_true", help="One JSON object.")
        crossvalidate_parser.add_argument(
            "--show-errors",
            action="store_true",
            help="List the rows judged wrongly once trained (file:row).",
        )
        commands.add_parser("reset", help="Forget everything learned; relearn the starter corpus.")
        relearn = commands.add_parser(
            "relearn",
            help="Rebuild the fitted model's examples with the current SPAM_FEATURE_KEY (after a "
            "change of it): the starter corpus and every stored submission a moderator taught "
            "the filter (purged spam is gone); then fit. The counts keep what they learned.",
        )
        relearn.add_argument("--dry-run", action="store_true", help="Count, change nothing.")
        purge = commands.add_parser(
            "purge", help=f"Delete spam older than SPAM_PURGE_DAYS ({settings.SPAM_PURGE_DAYS})."
        )
        purge.add_argument("--days", type=int, default=settings.SPAM_PURGE_DAYS)
        purge.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")
        benchmark = commands.add_parser(
            "benchmark",
            help="Two-fold benchmark on our labelled corpus, and the scoring speed; the "
            "database is left as it was.",
        )
        benchmark.add_argument("file", nargs="?", default=str(BENCHMARK))
        benchmark.add_argument("--seed", type=int, default=7)

    def handle(self, *args, **options):
        try:
            return getattr(self, f"do_{options['action']}")(options)
        except CorpusError as error:
            raise CommandError(f"{options.get('file')}: {error}") from None
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {error.filename}") from None

    def do_train(self, options):
        examples = read_examples(options["file"])
        started = time.perf_counter()
        with transaction.atomic():
            for label in ("spam", "ham"):
                classifier.learn(
                    [e.submission for e in examples if e.label == label],
                    label=label,
                    fit_after_commit=False,
                )
            classifier.fit()
        seconds = time.perf_counter() - started
        spam, ham = classifier.totals()
        self.stdout.write(
            self.style.SUCCESS(
                f"Learned {len(examples)} rows in {seconds:.2f} s "
                f"({len(examples) / max(seconds, 1e-9):,.0f} rows/s). "
                f"The filter now knows {spam} spam and {ham} ham submissions."
            )
        )

    def do_evaluate(self, options):
        result = evaluate(read_examples(options["file"]))
        figures = result.as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(figures))
        else:
            for name, value in figures.items():
                self.stdout.write(f"{name}: {value}")
        if options["show_errors"]:
            self.stdout.write(f"false positive rows: {result.false_positive_rows}")
            self.stdout.write(f"false negative rows: {result.false_negative_rows}")

    def do_crossvalidate(self, options):
        examples = []
        for name in options["files"]:
            try:
                examples += read_examples(name)
            except CorpusError as error:
                raise CommandError(f"{name}: {error}") from None
        try:
            result = crossvalidate(examples, folds=options["folds"], seed=options["seed"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        spam = sum(e.label == "spam" for e in examples)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "files": options["files"],
                        "rows": len(examples),
                        "folds": options["folds"],
                        "seed": options["seed"],
                        "seconds": round(result.seconds, 1),
                        "cold": result.cold.as_dict(),
                        "trained": result.trained.as_dict(),
                        "per_fold": [
                            {
                                "fold": fold.number,
                                "train_rows": fold.train_rows,
                                "test_rows": len(fold.trained.judgements),
                                "learn_seconds": round(fold.learn_seconds, 2),
                                "cold": fold.cold.as_dict(),
                                "trained": fold.trained.as_dict(),
                            }
                            for fold in result.folds
                        ],
                    }
                )
            )
        else:
            self.stdout.write(
                f"{', '.join(options['files'])}: {len(examples)} rows ({spam} spam, "
                f"{len(examples) - spam} ham), {options['folds']} folds, seed {options['seed']}."
            )
            for fold in result.folds:
                cold, trained = fold.cold.as_dict(), fold.trained.as_dict()
                self.stdout.write(
                    f"Fold {fold.number}: learned {fold.train_rows} rows in "
                    f"{fold.learn_seconds:.1f} s, judged {cold['spam'] + cold['ham']}: "
                    f"cold recall {cold['recall']}, FPR {cold['false_positive_rate']}; "
                    f"trained recall {trained['recall']}, FPR {trained['false_positive_rate']}, "
                    f"AUC {trained['auc']}"
                )
            for title, figures in (
                ("Cold (only what ships: the starter corpus and the rules)", result.cold),
                ("Trained (what ships and the other folds)", result.trained),
            ):
                self.stdout.write(f"{title}, all folds together:")
                for name, value in figures.as_dict().items():
                    self.stdout.write(f"  {name}: {value}")
            self.stdout.write(f"Took {result.seconds:.1f} s.")
        if options["show_errors"]:
            trained = result.trained
            for title, wrong in (
                ("false positives", trained.wrongly_flagged),
                ("false negatives", trained.missed),
            ):
                rows = ", ".join(f"{j.source}:{j.row} ({j.score:.3f})" for j in wrong)
                self.stdout.write(f"{title} once trained (file:row (score)): {rows}")

    def do_reset(self, options):
        examples = read_examples(STARTER)
        with transaction.atomic():
            classifier.forget_everything()
            for label in ("spam", "ham"):
                classifier.learn(
                    [e.submission for e in examples if e.label == label],
                    label=label,
                    calibrate=False,
                    fit_after_commit=False,
                )
            classifier.fit()
        self.stdout.write(
            self.style.SUCCESS(f"Forgot everything; relearned the {len(examples)} starter rows.")
        )

    def do_relearn(self, options):
        if options["dry_run"]:
            starter = len(read_examples(STARTER))
            site = sum(1 for _ in classifier.moderated_lessons())
            self.stdout.write(f"Would relearn {starter} starter rows and {site} of the site's own.")
            return
        with transaction.atomic():
            starter, site = classifier.relearn_examples()
            fitted = classifier.fit()
        self.stdout.write(
            self.style.SUCCESS(
                f"Relearned {starter} starter rows and {site} of the site's own submissions; "
                + ("fitted." if fitted else "too few of the site's own to fit: the counts score.")
            )
        )

    def do_purge(self, options):
        cutoff = timezone.now() - timedelta(days=options["days"])
        counts = services.purge_old_spam(days=options["days"], dry_run=options["dry_run"])
        verb = "" if options["dry_run"] else "deleted "
        for label, count in counts.items():
            self.stdout.write(f"{label}: {verb}{count} spam older than {cutoff:%Y-%m-%d}")

    def do_benchmark(self, options):
        examples = read_examples(options["file"])
        rng = random.Random(options["seed"])  # noqa: S311 (a reproducible split, no secret)
        halves = ([], [])
        for label in ("spam", "ham"):
            rows = [e for e in examples if e.label == label]
            rng.shuffle(rows)
            halves[0].extend(rows[: len(rows) // 2])
            halves[1].extend(rows[len(rows) // 2 :])
        self.stdout.write(f"{options['file']}: {len(examples)} rows, two folds of half each.")
        try:
            with transaction.atomic():
                results = [self._fold(halves[i], halves[1 - i], i + 1) for i in (0, 1)]
                self._speed()
                raise Rollback
        except Rollback:
            pass
        self.stdout.write("Both folds together:")
        for name, value in Figures.combined(results).as_dict().items():
            self.stdout.write(f"  {name}: {value}")

    def _fold(self, train, test, number):
        classifier.forget_everything()
        started = time.perf_counter()
        for label in ("spam", "ham"):
            classifier.learn(
                [e.submission for e in train if e.label == label],
                label=label,
                fit_after_commit=False,
            )
        classifier.fit()
        training = time.perf_counter() - started
        figures = evaluate(test)
        values = figures.as_dict()
        self.stdout.write(
            f"Fold {number}: trained on {len(train)} rows ({len(train) / training:,.0f} rows/s), "
            f"evaluated {len(test)} ({figures.seconds / len(test) * 1000:.1f} ms a row): "
            f"recall {values['recall']}, false_positive_rate {values['false_positive_rate']}, "
            f"precision {values['precision']}, f1 {values['f1']}"
        )
        return figures

    def _speed(self):
        rng = random.Random(3)  # noqa: S311 (reproducible timing text, no secret)
        words = SPEED_TEST_WORDS.split()
        text = " ".join(rng.choice(words) + rng.choice(["", "s", "ing", "ed"]) for _ in range(4000))
        submission = Submission(text=text[:10_240], author="Maria", email="m@example.net")
        timings = []
        for _ in range(30):
            started = time.perf_counter()
            classifier.score(submission)
            timings.append((time.perf_counter() - started) * 1000)
        self.stdout.write(
            f"Scoring a 10 KB text: median {statistics.median(timings):.1f} ms, "
            f"max {max(timings):.1f} ms "
            "(features, 1 query with the fitted model cached, sum of weights)."
        )
