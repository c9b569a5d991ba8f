"""The fitted classifier: keyed-hashed training examples, the batch fit by the task worker,
its weights shared through the database, exact unlearning and the threshold from training."""

import numpy as np
import pytest
from django.db import transaction
from django.tasks import default_task_backend

from painrelief.spam import classifier, regression
from painrelief.spam.defence import Submission
from painrelief.spam.models import FittedModel, LearnedTotals, TrainingExample

pytestmark = pytest.mark.django_db

SPAM_TEXTS = [
    "Subscribe to my channel for free gift cards http://gifts.example.top",
    "Check out my channel, I post crypto signals daily, subscribe!",
    "Earn 500 dollars a day from home, message me on telegram",
    "Cheap pills without prescription, order now http://pills.example.ru",
    "Hot singles in your area, click http://dates.example.xyz",
    "Best SEO backlinks for your site, visit http://links.example.top",
    "Bitcoin doubled my savings in a week, ask me how on whatsapp",
    "Great post! Visit my site for more tips http://tips.example.online",
    "Follow me on instagram for daily giveaways and free followers",
    "Buy followers and likes, fast delivery, cheap http://likes.example.shop",
]
HAM_TEXTS = [
    "My neck has been stiff for two weeks; the heat pack helped a little.",
    "Thank you, the doorway stretch eased the knot between my shoulder blades.",
    "I take ibuprofen at night but my physio says I should move more.",
    "Does the chin tuck help with headaches after sitting all day?",
    "Walking every morning made my lower back much calmer, thanks for the tip.",
    "How long should I hold the hamstring stretch before switching legs?",
    "The breathing exercise before bed helped me fall asleep without the ache.",
    "My physiotherapist suggested the same knee exercise, good to see it explained.",
    "Is it normal that my hip clicks during the bridge exercise?",
    "I printed the routine and do it at my desk twice a day now.",
]


def submissions(texts, author="Reader"):
    return [Submission(text, author, "") for text in texts]


@pytest.fixture
def site_filter():
    """A filter that learned a few spam and ham of its own and was fitted."""
    classifier.forget_everything()
    classifier.learn(submissions(SPAM_TEXTS), label="spam", fit_after_commit=False)
    classifier.learn(submissions(HAM_TEXTS), label="ham", fit_after_commit=False)
    assert classifier.fit()


def probability(text):
    return classifier.score(Submission(text, "Reader", "")).probability


def test_a_moderators_lesson_changes_the_next_score_after_the_fit_and_a_reversal_undoes_it(
    site_filter,
):
    text = "Grab my ebook on posture at http://posture.example.shop today"
    before = probability(text)
    weights_before = regression.current().weights.copy()

    classifier.learn(submissions([text]), label="spam", fit_after_commit=False)
    assert probability(text) == before  # learned, not fitted yet
    classifier.fit()
    learned = probability(text)
    classifier.learn(submissions([text]), label="spam", forget=True, fit_after_commit=False)
    classifier.fit()

    assert learned > before + 0.05
    assert probability(text) == pytest.approx(before, abs=1e-6)
    assert np.allclose(regression.current().weights, weights_before, atol=1e-6)


def test_a_decision_queues_a_fit_after_the_commit_that_the_worker_runs(
    site_filter, django_capture_on_commit_callbacks
):
    text = "Grab my ebook on posture at http://posture.example.shop today"
    before = probability(text)
    with django_capture_on_commit_callbacks(execute=True):
        classifier.learn(submissions([text]), label="spam")

    assert probability(text) > before + 0.05  # the immediate backend ran the fit
    assert LearnedTotals.objects.get(pk=1).fit_pending is False


def test_one_fit_is_queued_at_a_time(site_filter, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()

    classifier.queue_fit()
    classifier.queue_fit()
    assert len(default_task_backend.results) == 1

    LearnedTotals.objects.filter(pk=1).update(fit_pending=False)  # the worker started it
    classifier.queue_fit()
    assert len(default_task_backend.results) == 2


def test_a_rolled_back_decision_queues_no_fit(site_filter, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    with transaction.atomic():
        classifier.learn(submissions(["Visit my site"]), label="spam")
        transaction.set_rollback(True)
    assert default_task_backend.results == []


def test_scoring_a_10_kb_comment_runs_one_query_once_the_model_is_cached(
    site_filter, django_assert_num_queries
):
    text = ("my shoulder hurts when I lift the kettle, " * 300)[:10_240]
    regression._cache.clear()
    with django_assert_num_queries(2):  # the current token, then this process loads the weights
        classifier.score(Submission(text, "Reader", ""))
    with django_assert_num_queries(1):
        classifier.score(Submission(text, "Reader", ""))


def test_every_server_sees_a_new_fit_at_its_next_score(site_filter):
    old = regression.current().token
    classifier.learn(submissions(["Visit my site"]), label="spam", fit_after_commit=False)
    classifier.fit()
    assert regression.current().token != old
    assert FittedModel.objects.count() == 1  # the old version is dropped


def test_the_score_names_the_features_that_decided(site_filter):
    score = classifier.score(Submission("Subscribe to my channel for crypto signals", "R", ""))
    assert "channel" in score.spam_clues or "subscribe" in score.spam_clues
    ham = classifier.score(Submission("The stretch eased my stiff neck, thank you", "R", ""))
    assert ham.probability < score.probability
    assert any(clue in ham.ham_clues for clue in ("neck", "stiff", "stretch", "thank you"))


def test_stored_examples_hold_no_readable_text_and_need_the_key(site_filter, settings):
    row = TrainingExample.objects.filter(label="spam").first()
    stored = bytes(row.buckets) + bytes(row.digest)
    assert b"channel" not in stored and b"gift" not in stored
    submission = Submission(SPAM_TEXTS[0], "Reader", "")
    with_site_key = set(regression.buckets_of(submission).tolist())
    settings.SPAM_FEATURE_KEY = "another key"
    assert set(regression.buckets_of(submission).tolist()) != with_site_key


def test_the_hold_threshold_comes_from_out_of_fold_scores_of_the_sites_ham(settings):
    """No test label: each ham is scored by a model fitted without it, and the threshold
    flags at most SPAM_TARGET_FPR of those scores (with the calibration's confidence)."""
    classifier.forget_everything()
    rng = np.random.default_rng(3)
    words = [
        "neck",
        "back",
        "knee",
        "stretch",
        "heat",
        "walk",
        "sleep",
        "desk",
        "posture",
        "breath",
        "shoulder",
        "hip",
    ]
    ham = [" ".join(rng.choice(words, 8)) for _ in range(80)]
    spam = [f"buy cheap {w} pills http://shop{i}.example.top" for i, w in enumerate(words * 3)]
    classifier.learn(submissions(spam), label="spam", fit_after_commit=False)
    classifier.learn(submissions(ham), label="ham", fit_after_commit=False)
    classifier.fit()
    model = regression.current()

    assert len(model.ham_scores) == 80
    settings.SPAM_TARGET_FPR = 0.05
    loose = classifier.score(Submission("x", "", "")).hold_above
    assert loose == classifier.threshold_for(model.ham_scores, 0.05)
    settings.SPAM_TARGET_FPR = 0.01
    strict = classifier.score(Submission("x", "", "")).hold_above
    assert strict == classifier.threshold_for(model.ham_scores, 0.01) >= loose
    assert sum(s > strict for s in model.ham_scores) <= 0.01 * 80


def test_until_the_site_has_examples_of_its_own_a_cold_model_scores_with_the_counts():
    """The starter corpus alone (or a few decisions) fits a cold model: its log-odds and the
    counts' are averaged, and SPAM_CLASSIFIER_HOLD applies (no out-of-fold calibration)."""
    classifier.forget_everything()
    classifier.learn(submissions(SPAM_TEXTS), label="spam", calibrate=False, fit_after_commit=False)
    classifier.learn(submissions(HAM_TEXTS), label="ham", calibrate=False, fit_after_commit=False)
    classifier.learn(submissions(SPAM_TEXTS[:9]), label="spam", fit_after_commit=False)
    classifier.learn(submissions(HAM_TEXTS[:9]), label="ham", fit_after_commit=False)

    assert classifier.fit()
    model = regression.current()
    assert model.cold and model.ham_scores == []
    submission = Submission("Free gift cards on my channel, subscribe http://x.example.top", "", "")
    fitted = regression.score_with(model, submission).probability
    counted = classifier.counts_score(submission).probability
    score = classifier.score(submission)
    mean_log_odds = (np.log(fitted / (1 - fitted)) + np.log(counted / (1 - counted))) / 2
    assert score.probability == pytest.approx(1 / (1 + np.exp(-mean_log_odds)))
    assert min(fitted, counted) < score.probability < max(fitted, counted)
    assert score.learned and score.hold_above is None and score.probability > 0.5

    classifier.learn(submissions(SPAM_TEXTS[9:]), label="spam", fit_after_commit=False)
    classifier.learn(submissions(HAM_TEXTS[9:]), label="ham", fit_after_commit=False)
    assert classifier.fit() and not regression.current().cold


def test_features_that_mark_one_label_are_scaled_up_before_the_regression():
    """Naive Bayes log-count ratios (NBSVM): a column seen only in spam weighs more than one
    seen as often in both, which weighs nothing; the stored weights score a row as the fit
    scored it."""
    from scipy import sparse

    matrix = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 1, 1], [0, 1, 1]], dtype=float))
    labels = np.array([True, True, False, False])
    ratios = regression.naive_bayes_ratios(matrix, labels, np.ones(4))
    # spam counts (3, 3, 1), ham counts (1, 3, 3) with smoothing 1: each sums to 7
    assert ratios == pytest.approx([np.log(3), 0.0, np.log(3)])

    coefficients, intercept = regression._fitted(matrix, labels, np.ones(4))
    assert coefficients[1] == 0.0 and coefficients[0] > 0 > coefficients[2]
    probabilities = regression._probabilities(matrix, coefficients, intercept)
    assert (probabilities[:2] > 0.5).all() and (probabilities[2:] < 0.5).all()


def test_the_migration_keeps_the_starter_corpus_as_examples_to_fit_on():
    starter = TrainingExample.objects.filter(from_site=False)
    assert starter.count() > 300 and not TrainingExample.objects.filter(from_site=True).exists()


# --- The vectorised feature hash and relearning -------------------------------------------

NAMED = ["neck", "link:pills.example.ru", "author:maria", "stiff neck", "caps:0.05", "é😀"]


def test_the_feature_hash_is_fixed_for_a_key_and_another_for_another_key(settings):
    submission = Submission("Cheap pills at http://pills.example.ru, ask me!", "Maria", "")
    first = regression.buckets_of(submission)
    assert np.array_equal(regression.buckets_of(submission), first)
    assert np.array_equal(regression.named_buckets(NAMED), regression.named_buckets(NAMED))
    settings.SPAM_FEATURE_KEY = "another key"
    assert len(np.intersect1d(regression.buckets_of(submission), first)) < len(first) // 4
    assert not np.array_equal(regression.named_buckets(NAMED), regression.named_buckets(["x"]))


def test_each_named_feature_keeps_its_bucket_whatever_the_others():
    """The explanations name features by their buckets: a feature's bucket is the same alone
    as among others, and features that differ get different buckets."""
    together = regression.named_buckets([*NAMED, "", "a"]).tolist()
    alone = [int(regression.named_buckets([feature])[0]) for feature in [*NAMED, "", "a"]]
    assert together == alone
    assert len(set(together)) == len(together)
    assert all(bucket < regression.CHAR_HALF for bucket in together)
    assert regression.named_buckets(["ab"])[0] != regression.named_buckets(["ba"])[0]


def test_character_grams_go_to_the_upper_half_one_bucket_per_distinct_gram():
    text = "My NECK is stiff, see http://x.example.top today"
    buckets = regression.char_gram_buckets(text)
    normalised = regression.char_text(text)
    grams = {normalised[i : i + n] for n in range(2, 6) for i in range(len(normalised) - n + 1)}
    assert "ne" in grams and "example" not in normalised  # links out, lower case
    assert buckets.min() >= regression.CHAR_HALF and buckets.max() < regression.BUCKETS
    assert len(np.unique(buckets)) == pytest.approx(len(grams), abs=2)  # 2^19: rare collisions
    # A gram hashes alike wherever it stands.
    assert set(regression.char_gram_buckets("neck").tolist()) < set(buckets.tolist())
    assert len(regression.char_gram_buckets("a")) == 0


def test_relearning_rebuilds_the_examples_from_the_starter_corpus_and_moderated_comments(
    settings,
):
    from painrelief.comments.models import Comment
    from painrelief.spam.corpus import STARTER, read_examples
    from tests.factories import CommentFactory

    classifier.forget_everything()
    for text in SPAM_TEXTS:
        CommentFactory(body=text, name="Reader", status="spam", taught_as="spam")
    for text in HAM_TEXTS:
        CommentFactory(body=text, name="Reader", taught_as="ham")
    CommentFactory(body="Never judged by a moderator", taught_as="")
    settings.SPAM_FEATURE_KEY = "the new key"

    starter, site = classifier.relearn_examples()

    assert starter == len(read_examples(STARTER)) and site == 20
    assert TrainingExample.objects.filter(from_site=False).count() == starter
    assert TrainingExample.objects.filter(from_site=True, label="spam").count() == 10
    ham = TrainingExample.objects.filter(from_site=True, label="ham").order_by("id")
    comments = Comment.objects.filter(taught_as="ham").order_by("pk")
    assert [regression.unpack_buckets(row.buckets).tolist() for row in ham] == [
        regression.buckets_of(comment.as_submission()).tolist() for comment in comments
    ]
    assert regression.current() is None  # dropped; the next fit reads the rebuilt examples
    assert classifier.fit()
    assert probability(SPAM_TEXTS[0]) > probability(HAM_TEXTS[0])


def test_the_migration_rebuilds_the_examples_with_the_current_hash(settings):
    """Migration 0007 relearns through the migration's own models: the examples of the
    starter corpus and of the moderated comments, each with the current key's buckets."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import CommentFactory

    comment = CommentFactory(body=SPAM_TEXTS[0], status="spam", taught_as="spam")
    TrainingExample.objects.update(buckets=regression.pack_buckets(np.array([1, 2], np.uint32)))
    migration = importlib.import_module(
        "painrelief.spam.migrations.0007_vectorised_feature_hashing"
    )
    state = MigrationExecutor(connection).loader.project_state(
        ("spam", "0007_vectorised_feature_hashing")
    )
    migration.rebuild_examples(state.apps, None)

    site = TrainingExample.objects.get(from_site=True)
    assert site.label == "spam"
    assert np.array_equal(
        regression.unpack_buckets(site.buckets),
        regression.buckets_of(comment.as_submission()),
    )
    starter = TrainingExample.objects.filter(from_site=False)
    assert starter.count() > 300
    assert not starter.filter(buckets=regression.pack_buckets(np.array([1, 2], np.uint32)))
