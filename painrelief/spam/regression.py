"""The fitted classifier: logistic regression on keyed-hashed features, batch-fitted by the task
worker from every learned example, its weights in the database.

Each learned submission is kept as a `TrainingExample`: its label and the set of hash buckets
of its features (the features module's words, word pairs, links and author signals, plus the
character 2-5-grams of the text), hashed with a key derived from SPAM_FEATURE_KEY (by default
from SECRET_KEY), so nothing readable of anyone's text is stored and a dictionary attack needs
the key. A reversed decision deletes its example: the next fit has forgotten it exactly.

The hash is computed for all features of a submission at once with numpy (a 10 KB comment has
some 9,000 character n-grams and 2,500 other features: one keyed BLAKE2b each cost ~8 ms): a
polynomial hash of each feature's code points modulo 2^64 with a secret odd multiplier, then
two rounds of splitmix64's finaliser with secret constants xored in, its top 19 bits the bucket
in a half. Every constant is derived from hash_key(). This is not a cryptographic PRF, but what
the key is for here is the same with either: both are a fixed secret map feature -> bucket, so
a dictionary attack on a copy of the examples (hash candidate words, look for their buckets)
needs the key, and a bucket keeps 19 of 64 bits of the hash, in sets without order, which gives
no feature back without the map. What BLAKE2b had more is a proof: against someone with a
copy of the examples who tries to recover the key from the rows of known texts (the starter
corpus is public), we know of no attack on this map, but none is ruled out. A change of the
key or of the hash makes the stored examples meaningless: `manage.py spam relearn` rebuilds
them.

Until the site has MIN_SITE_EXAMPLES_PER_LABEL examples of its own of each label, the model is
cold: fitted on every example with equal weights, and scored together with the counts model of
classifier.py (classifier.cold_score). Then a fit reads every example and fits scikit-learn's
LogisticRegression on the binary bucket matrix, each row's two halves (character n-grams, the
other features) L2-normalised apart and each column scaled by its naive Bayes log-count ratio
(naive_bayes_ratios); the starter corpus's rows weigh STARTER_WEIGHT (at 1 they
outweighed the site's own lessons on real sets). The weights are stored as one `FittedModel`
row. The fit also scores each of the site's own examples by an inner cross-validation (a model
fitted without it): the hold threshold for SPAM_TARGET_FPR is calibrated on those out-of-fold
ham scores, with no test label.

Scoring reads the current model's token (one query), and its weights only when this process
has not cached that version yet.
"""

import functools
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

from .features import features_of, links_of

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
# The site's own examples of each label before the fitted model scores alone: until then it is
# cold (fitted mostly on the starter corpus), and averaged with the counts, which ranked the real
# sets' spam better than either alone on three of four (README).
MIN_SITE_EXAMPLES_PER_LABEL = 10


def hash_key() -> bytes:
    secret = settings.SPAM_FEATURE_KEY or settings.SECRET_KEY
    return salted_hmac(
        "painrelief.spam.regression", "feature-buckets", secret=secret, algorithm="sha256"
    ).digest()


@dataclass(frozen=True)
class HashParameters:
    """The secret constants of the feature hash, all derived from hash_key()."""

    multiplier: np.uint64  # odd: a bijection modulo 2^64
    before: np.uint64  # xored in before the first finaliser round
    between: np.uint64  # xored in between the two rounds
    length: np.uint64  # times the feature's length: "ab" and "\0ab" apart


@functools.lru_cache(maxsize=4)
def hash_parameters(key: bytes) -> dict[str, HashParameters]:
    """Two sets of constants (named features, character n-grams) from the key, by BLAKE2b."""
    parameters = {}
    for kind in ("named", "chars"):
        material = hashlib.blake2b(kind.encode(), key=key[:64], digest_size=32).digest()
        words = np.frombuffer(material, dtype="<u8").astype(np.uint64)
        parameters[kind] = HashParameters(
            multiplier=words[0] | np.uint64(1), before=words[1], between=words[2], length=words[3]
        )
    return parameters


def _finalised(hashes: np.ndarray, lengths, parameters: HashParameters) -> np.ndarray:
    """Two rounds of splitmix64's finaliser with key material xored in, the top bits kept as
    a bucket of one half (uint64 arithmetic wraps modulo 2^64, as wanted)."""
    x = hashes ^ parameters.before ^ (np.asarray(lengths, np.uint64) * parameters.length)
    for round_key in (parameters.between, np.uint64(0)):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31)) ^ round_key
    return (x >> np.uint64(64 - BITS + 1)).astype(np.uint32)


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)


def char_text(text: str) -> str:
    """The text the character n-grams are read from: links out, lower case, spaces folded."""
    return " ".join(links_of(text[:MAX_CHAR_TEXT])[1].lower().split())


def char_gram_buckets(text: str, key: bytes | None = None) -> np.ndarray:
    """The buckets (upper half) of every character 2-5-gram of the text, repeats included,
    computed at once: a polynomial hash of each n-gram's code points (Horner's rule over
    shifted arrays), then the keyed finaliser."""
    parameters = hash_parameters(key or hash_key())["chars"]
    codes = _code_points(char_text(text)) + np.uint64(1)
    low, high = CHAR_GRAMS
    hashes = codes.copy()
    found = []
    with np.errstate(over="ignore"):
        for n in range(2, high + 1):
            if len(codes) < n:
                break
            hashes = hashes[:-1] * parameters.multiplier + codes[n - 1 :]
            if n >= low:
                found.append(_finalised(hashes, n, parameters))
    if not found:
        return np.zeros(0, np.uint32)
    return np.concatenate(found) + np.uint32(CHAR_HALF)  # with repeats: the caller's union


def named_buckets(features: Sequence[str], key: bytes | None = None) -> np.ndarray:
    """The bucket (lower half) of each named feature, in the order given, computed at once:
    the features' code points in one array, each times the multiplier to the power of its
    position in its feature, summed per feature (np.add.reduceat), then the keyed finaliser."""
    if not features:
        return np.zeros(0, np.uint32)
    parameters = hash_parameters(key or hash_key())["named"]
    lengths = np.fromiter(map(len, features), dtype=np.int64, count=len(features))
    codes = _code_points("".join(features)) + np.uint64(1)
    starts = np.zeros(len(features), np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    positions = np.arange(len(codes), dtype=np.int64) - np.repeat(starts, lengths)
    with np.errstate(over="ignore"):
        hashes = np.zeros(len(features), np.uint64)
        present = lengths > 0  # reduceat would read the next feature's first code for ""
        if len(codes):
            sums = np.add.reduceat(
                codes * _powers(parameters, int(lengths.max()))[positions], starts[present]
            )
            hashes[present] = sums
        return _finalised(hashes, lengths, parameters)


def _powers(parameters: HashParameters, count: int) -> np.ndarray:
    """multiplier^0 .. multiplier^(count - 1) modulo 2^64."""
    size = 1 << (max(count, 64) - 1).bit_length()  # powers of two: few tables for all lengths
    return _power_table(int(parameters.multiplier), size)[:count]


@functools.lru_cache(maxsize=8)
def _power_table(multiplier: int, size: int) -> np.ndarray:
    return np.array([pow(multiplier, i, 1 << 64) for i in range(size)], dtype=np.uint64)


def distinct(buckets: np.ndarray) -> np.ndarray:
    """The buckets sorted, each once (np.unique, three times faster on these arrays)."""
    ordered = np.sort(buckets)
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def all_buckets(named: np.ndarray, text: str, key: bytes) -> np.ndarray:
    """The named features' buckets and the text's n-grams', sorted, each once (the halves
    are apart: the named ones come first)."""
    return np.concatenate((distinct(named), distinct(char_gram_buckets(text, key))))


def buckets_of(submission, features: set[str] | None = None) -> np.ndarray:
    """Every bucket of a submission, sorted: its named features' and its character n-grams'."""
    names = list(features_of(submission) if features is None else features)
    key = hash_key()
    return all_buckets(named_buckets(names, key), submission.text, key)


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


def refit(registry=None) -> bool:
    """Fit on every stored example and make it the current model (False: no examples of one
    label; the counts score alone, and a current model is dropped). `registry`: a
    migration's apps."""
    from django.apps import apps

    registry = registry or apps
    fitted_model = registry.get_model("spam", "FittedModel")
    rows = registry.get_model("spam", "TrainingExample").objects.values_list(
        "buckets", "label", "from_site"
    )
    fit = fit_examples((unpack_buckets(b), label == "spam", site) for b, label, site in rows)
    if fit is None:
        fitted_model.objects.all().delete()
        return False
    save_fit(fit, fitted_model)
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


def score_with(model: Loaded, submission, features: set[str] | None = None) -> Scored:
    """The probability, and the named features (not the character n-grams, which say little
    to a moderator) by their weight in it. `features`: features_of(submission), if known."""
    names = list(features_of(submission) if features is None else features)
    key = hash_key()
    named = named_buckets(names, key)
    buckets = all_buckets(named, submission.text, key).astype(np.int64)
    logit = float(model.weights[buckets] @ row_values(buckets)) + model.intercept
    probability = 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))
    scale = 1.0 / math.sqrt(max(int((buckets < CHAR_HALF).sum()), 1))
    weights = model.weights[named] * scale
    order = np.argsort(-np.abs(weights))[:40]
    return Scored(probability, [(float(weights[i]), names[i]) for i in order])
