"""The fitted classifier: logistic regression on keyed-hashed features, batch-fitted by the task
worker from every learned example, its weights in the database.

Each learned submission is kept as a `TrainingExample`: its label and the set of hash buckets
of its features (the features module's words, word pairs, links and author signals, plus the
character 2-5-grams of the text), hashed with a key derived from SPAM_FEATURE_KEY (by default
from SECRET_KEY), so nothing readable of anyone's text is stored and a dictionary attack needs
the key. A reversed decision deletes its example: the next fit has forgotten it exactly.

Until the site has MIN_SITE_EXAMPLES_PER_LABEL examples of its own of each label, the counts
model of classifier.py scores alone. Then a fit reads every example and fits scikit-learn's
LogisticRegression on the binary bucket matrix, each row's two halves (character n-grams, the
other features) L2-normalised apart; the starter corpus's rows weigh STARTER_WEIGHT (at 1 they
outweighed the site's own lessons on real sets). The weights are stored as one `FittedModel`
row. The fit also scores each of the site's own examples by an inner cross-validation (a model
fitted without it): the hold threshold for SPAM_TARGET_FPR is calibrated on those out-of-fold
ham scores, with no test label.

Scoring reads the current model's token (one query), and its weights only when this process
has not cached that version yet.
"""

import hashlib
import math
import threading
import uuid
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils.crypto import salted_hmac

from .features import URL, features_of

BITS = 20  # 2^20 buckets: few collisions for the vocabulary of a site's comments
BUCKETS = 1 << BITS
# Character n-grams hash into the upper half, the other features into the lower half: each half
# of a row is L2-normalised on its own (as the baseline's two TF-IDF blocks), so the many
# n-grams do not drown the words and links.
CHAR_HALF = BUCKETS >> 1
CHAR_GRAMS = (2, 5)
MAX_CHAR_TEXT = 3000  # characters read for character n-grams (cost bounded for long texts)
STARTER_WEIGHT = 0.01  # 0.03, 0.1 and 1 did worse on the real comment sets (README)
REGULARISATION_C = 10.0
NB_SMOOTHING = 1.0  # added to each column's spam and ham counts in naive_bayes_ratios
INNER_FOLDS = 5
# The site's own examples of each label before the fitted model takes over from the counts:
# fitted on the starter corpus alone, it ranked the real sets' spam worse than the counts did
# (cold recall at 1% on DataCamp 0.10 against 0.23), and from a handful it is not yet sure.
MIN_SITE_EXAMPLES_PER_LABEL = 10


def hash_key() -> bytes:
    secret = settings.SPAM_FEATURE_KEY or settings.SECRET_KEY
    return salted_hmac(
        "painrelief.spam.regression", "feature-buckets", secret=secret, algorithm="sha256"
    ).digest()


def char_grams(text: str) -> set[str]:
    text = " ".join(URL.sub(" ", text[:MAX_CHAR_TEXT]).lower().split())
    low, high = CHAR_GRAMS
    return {
        f"chars:{text[i : i + n]}" for n in range(low, high + 1) for i in range(len(text) - n + 1)
    }


def named_features(submission, features: set[str] | None = None) -> set[str]:
    """What the fitted model reads: the features module's features plus character n-grams."""
    return (features_of(submission) if features is None else features) | char_grams(submission.text)


def bucket_of(feature: str, keyed: "hashlib.blake2b") -> int:
    """`keyed`: a blake2b already keyed, copied for each feature (half the cost of keying a
    new one, for the thousands of n-grams of a long comment)."""
    hasher = keyed.copy()
    hasher.update(feature.encode("utf-8", "surrogatepass"))
    half = CHAR_HALF if feature.startswith("chars:") else 0
    return half + (int.from_bytes(hasher.digest(), "little") & (CHAR_HALF - 1))


def buckets_by_feature(submission, features: set[str] | None = None) -> dict[str, int]:
    keyed = hashlib.blake2b(key=hash_key()[:64], digest_size=4)
    return {feature: bucket_of(feature, keyed) for feature in named_features(submission, features)}


def buckets_of(submission, features: set[str] | None = None) -> np.ndarray:
    buckets = buckets_by_feature(submission, features).values()
    return np.unique(np.fromiter(buckets, dtype=np.uint32))


def example_digest(submission) -> bytes:
    """A keyed digest of the whole submission: the example a reversed decision deletes."""
    parts = "\x1f".join((submission.text, submission.author, submission.email, submission.url))
    return hashlib.blake2b(
        parts.encode("utf-8", "surrogatepass"), key=hash_key()[:64], digest_size=16
    ).digest()


def pack_buckets(buckets: np.ndarray) -> bytes:
    return zlib.compress(np.asarray(buckets, dtype="<u4").tobytes())


def unpack_buckets(data: bytes) -> np.ndarray:
    return np.frombuffer(zlib.decompress(bytes(data)), dtype="<u4")


def pack_floats(values) -> bytes:
    return zlib.compress(np.asarray(values, dtype="<f4").tobytes())


def unpack_floats(data: bytes) -> np.ndarray:
    return np.frombuffer(zlib.decompress(bytes(data)), dtype="<f4")


# --- Fitting (pure: arrays in, arrays out) ----------------------------------------------


@dataclass(frozen=True)
class Fit:
    weights: np.ndarray  # float32, one per bucket, for the L2-normalised binary row
    intercept: float
    ham_scores: np.ndarray  # out-of-fold probabilities of the site's own ham
    examples: int
    cold: bool = False  # fitted before the site had MIN_SITE_EXAMPLES_PER_LABEL of each label


def row_values(buckets: np.ndarray) -> np.ndarray:
    """The value of each bucket of a row: 1/sqrt(n) with n the buckets of its half."""
    chars = buckets >= CHAR_HALF
    n_chars = int(chars.sum())
    n_other = len(buckets) - n_chars
    return np.where(chars, 1.0 / math.sqrt(max(n_chars, 1)), 1.0 / math.sqrt(max(n_other, 1)))


def _matrix(bucket_sets: Sequence[np.ndarray]):
    from scipy import sparse

    lengths = np.array([len(b) for b in bucket_sets], dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    indices = np.concatenate(bucket_sets) if bucket_sets else np.zeros(0, np.uint32)
    values = np.concatenate([row_values(b) for b in bucket_sets]) if bucket_sets else []
    return sparse.csr_matrix(
        (values, indices.astype(np.int32), indptr), shape=(len(bucket_sets), BUCKETS)
    )


def naive_bayes_ratios(matrix, labels: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each column's naive Bayes log-count ratio, |log((p / |p|) / (q / |q|))| with p and q the
    (weighted) spam and ham rows that have it, plus NB_SMOOTHING: how much a feature says on
    its own. Scaling the columns by it before the regression (Wang and Manning's NBSVM) lets
    the few words and n-grams that mark spam count more than the many that occur in both."""
    present = matrix.copy()
    present.data[:] = 1.0
    spam = NB_SMOOTHING + present.T @ (weights * labels)
    ham = NB_SMOOTHING + present.T @ (weights * ~labels)
    return np.abs(np.log((spam / spam.sum()) / (ham / ham.sum())))


def _fitted(matrix, labels: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, float]:
    """The weights of each column (the regression's on the scaled columns times the scale, so
    that a row's score is its plain values times these) and the intercept."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    ratios = naive_bayes_ratios(matrix, labels, weights)
    model = LogisticRegression(
        C=REGULARISATION_C, solver="liblinear", max_iter=1000, random_state=0
    ).fit(matrix @ sparse.diags(ratios), labels, sample_weight=weights)
    return model.coef_[0] * ratios, float(model.intercept_[0])


def _probabilities(matrix, coefficients: np.ndarray, intercept: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(matrix @ coefficients + intercept)))


def fit_examples(examples: Iterable[tuple[np.ndarray, bool, bool]]) -> Fit | None:
    """The model fitted on (buckets, is spam, from the site) examples (None without examples
    of both labels). Until there are MIN_SITE_EXAMPLES_PER_LABEL of the site's own of each
    label, a cold model: every example weighs the same (the starter corpus is all there is to
    know) and there is no out-of-fold calibration."""
    from sklearn.model_selection import StratifiedKFold

    examples = list(examples)
    labels = np.array([spam for _, spam, _ in examples], dtype=bool)
    site = np.array([from_site for _, _, from_site in examples], dtype=bool)
    if labels.all() or not labels.any():
        return None
    site_spam = int((labels & site).sum())
    cold = min(site_spam, int(site.sum()) - site_spam) < MIN_SITE_EXAMPLES_PER_LABEL
    matrix = _matrix([b for b, _, _ in examples])
    # Only the buckets some example has: the solver's work and memory follow the data.
    columns = np.unique(matrix.indices)
    matrix = matrix[:, columns]
    sample_weights = np.ones(len(examples)) if cold else np.where(site, 1.0, STARTER_WEIGHT)
    coefficients, intercept = _fitted(matrix, labels, sample_weights)
    ham_scores = np.zeros(0, np.float32)
    site_rows = np.flatnonzero(site)
    site_labels = labels[site_rows]
    folds = 0 if cold else INNER_FOLDS
    if folds:
        out_of_fold = np.zeros(len(site_rows))
        starter_rows = np.flatnonzero(~site)
        split = StratifiedKFold(folds, shuffle=True, random_state=0)
        for inner_train, inner_test in split.split(site_rows, site_labels):
            rows = np.concatenate([starter_rows, site_rows[inner_train]])
            inner = _fitted(matrix[rows], labels[rows], sample_weights[rows])
            out_of_fold[inner_test] = _probabilities(matrix[site_rows[inner_test]], *inner)
        ham_scores = out_of_fold[~site_labels].astype(np.float32)
    weights = np.zeros(BUCKETS, np.float32)
    weights[columns] = coefficients
    return Fit(
        weights=weights,
        intercept=intercept,
        ham_scores=ham_scores,
        examples=len(examples),
        cold=cold,
    )


# --- Stored models and scoring ---------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    token: str
    weights: np.ndarray
    intercept: float
    ham_scores: list[float]
    cold: bool = False


_cache: dict[str, Loaded] = {}
_cache_lock = threading.Lock()


def save_fit(fit: Fit, fitted_model=None) -> None:
    """Store `fit` as the current model (`fitted_model`: a migration's historical model)."""
    if fitted_model is None:
        from .models import FittedModel as fitted_model

    fitted = fitted_model.objects.create(
        token=uuid.uuid4().hex,
        weights=pack_floats(fit.weights),
        intercept=fit.intercept,
        ham_scores=pack_floats(fit.ham_scores),
        examples=fit.examples,
        cold=fit.cold,
    )
    fitted_model.objects.filter(id__lt=fitted.id).delete()


def refit() -> bool:
    """Fit on every stored example and make it the current model (False: no examples of one
    label; the counts score alone, and a current model is dropped)."""
    from .models import FittedModel, TrainingExample

    rows = TrainingExample.objects.values_list("buckets", "label", "from_site")
    fit = fit_examples((unpack_buckets(b), label == "spam", site) for b, label, site in rows)
    if fit is None:
        FittedModel.objects.all().delete()
        return False
    save_fit(fit)
    return True


def current() -> Loaded | None:
    """The current model: one query for its token, one more when this process has not loaded it."""
    from .models import FittedModel

    token = FittedModel.objects.order_by("-id").values_list("token", flat=True).first()
    if token is None:
        return None
    loaded = _cache.get(token)
    if loaded is None:
        row = (
            FittedModel.objects.filter(token=token)
            .values_list("weights", "intercept", "ham_scores", "cold")
            .first()
        )
        if row is None:  # replaced meanwhile
            return current()
        weights, intercept, ham_scores, cold = row
        loaded = Loaded(
            token, unpack_floats(weights), intercept, unpack_floats(ham_scores).tolist(), cold
        )
        with _cache_lock:
            _cache.clear()  # one version kept
            _cache[token] = loaded
    return loaded


@dataclass(frozen=True)
class Scored:
    probability: float
    contributions: list[tuple[float, str]]  # (weight in the score, feature), strongest first


def score_with(model: Loaded, submission) -> Scored:
    """The probability, and the named features (not the character n-grams, which say little
    to a moderator) by their weight in it."""
    by_feature = buckets_by_feature(submission)
    buckets = np.unique(np.fromiter(by_feature.values(), dtype=np.int64))
    logit = float(model.weights[buckets] @ row_values(buckets)) + model.intercept
    probability = 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))
    named = {f: b for f, b in by_feature.items() if b < CHAR_HALF}
    scale = 1.0 / math.sqrt(max(len(set(named.values())), 1))
    names = list(named)
    weights = model.weights[np.fromiter(named.values(), dtype=np.int64)] * scale
    order = np.argsort(-np.abs(weights))[:40]
    return Scored(probability, [(float(weights[i]), names[i]) for i in order])
