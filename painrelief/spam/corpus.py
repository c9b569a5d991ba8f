"""Labelled CSV files for the classifier: columns text,label (spam or ham), optional author,
email, url. Errors name the row (the header is row 1) so a file can be fixed."""

import csv
import html
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .defence import Submission

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
STARTER = CORPUS_DIR / "starter.csv"
BENCHMARK = CORPUS_DIR / "benchmark.csv"
LABELS = ("spam", "ham")


class CorpusError(Exception):
    pass


@dataclass(frozen=True)
class Example:
    submission: Submission
    label: str
    row: int
    source: str = ""  # the file's name, to tell pooled files apart


def read_examples(path: Path | str) -> list[Example]:
    """Every row of a labelled CSV file, or CorpusError saying which row is wrong and why."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = _row_at(raw, error.start)
        raise CorpusError(
            f"row {row}: not UTF-8 text (byte {error.start}); save the file as UTF-8"
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = {name.strip().lower() for name in reader.fieldnames or []}
    missing = [name for name in ("text", "label") if name not in columns]
    if missing:
        raise CorpusError(
            f"row 1: the header has no {' and no '.join(missing)} column "
            f"(found: {', '.join(sorted(columns)) or 'nothing'})"
        )
    examples = []
    for row_number, row in enumerate(reader, start=2):
        row = {(key or "").strip().lower(): (value or "") for key, value in row.items()}
        label = row["label"].strip().lower()
        if label not in LABELS:
            raise CorpusError(f"row {row_number}: label “{row['label']}” is not spam or ham")
        submission = Submission(
            text=row["text"],
            author=row.get("author", ""),
            email=row.get("email", ""),
            url=row.get("url", ""),
        )
        examples.append(Example(submission, label, row_number, Path(path).name))
    return examples


def normalised_text(text: str) -> str:
    """The text as duplicates are counted: NFKC, case folded, HTML entities unescaped, runs of
    whitespace as one space (as the shared corpora's README counts them)."""
    text = html.unescape(unicodedata.normalize("NFKC", text).casefold())
    return " ".join(text.split())


def _row_at(raw: bytes, offset: int) -> int:
    """The CSV row (header = 1) that contains byte `offset`."""
    before = raw[:offset].decode("utf-8-sig", errors="replace")
    return sum(1 for _ in csv.reader(io.StringIO(before, newline=""))) or 1
