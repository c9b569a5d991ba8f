"""The learning classifier: features, statistics in the database, learning and forgetting."""

import pytest

from painrelief.spam import classifier
from painrelief.spam.defence import Submission
from painrelief.spam.features import features_of
from painrelief.spam.models import FeatureStat, LearnedTotals

pytestmark = pytest.mark.django_db

SPAM = [
    Submission(
        "Buy cheap viagra online, no prescription http://pills.example.ru/buy",
        "Cheap Pills",
        "x91@mail.top",
        "http://pills.example.ru",
    ),
    Submission(
        "Best casino bonus!!! Win big now http://casino.example.top/win",
        "Best Casino",
        "bonus7@casino.top",
    ),
    Submission(
        "Earn $5000 a week with crypto trading, join http://btc.example.xyz",
        "Crypto King",
        "king22@btc.xyz",
    ),
]
HAM = [
    Submission(
        "My neck has been stiff for two weeks; the heat pack helped a little.",
        "Maria",
        "maria@post.example",
    ),
    Submission(
        "Thank you, the doorway stretch eased the knot between my shoulder blades.",
        "Jonas",
        "jonas@mailbox.example",
    ),
    Submission(
        "I take ibuprofen at night but my physio says I should move more.",
        "Ruth",
        "ruth@post.example",
    ),
]


@pytest.fixture
def empty_filter():
    classifier.forget_everything()


def test_an_untrained_filter_is_unsure_and_says_so(empty_filter):
    score = classifier.score(SPAM[0])

    assert score.probability == 0.5 and not score.learned


def test_after_learning_spam_scores_high_and_ham_low_with_the_clues_named(empty_filter):
    classifier.learn(SPAM, label="spam")
    classifier.learn(HAM, label="ham")

    spam = classifier.score(Submission("cheap viagra, no prescription http://pills.example.ru"))
    ham = classifier.score(Submission("the heat pack and the doorway stretch helped my neck"))

    assert spam.probability > 0.9 and ham.probability < 0.1
    assert "viagra" in spam.spam_clues and "link-tld:ru" in spam.spam_clues
    assert LearnedTotals.objects.get().spam == 3


def test_forgetting_takes_a_lesson_back_exactly(empty_filter):
    classifier.learn(HAM, label="ham")
    before = set(FeatureStat.objects.values_list("feature", "spam", "ham"))

    classifier.learn(SPAM[:1], label="spam")
    classifier.learn(SPAM[:1], label="spam", forget=True)

    after = set(FeatureStat.objects.values_list("feature", "spam", "ham"))
    assert {row for row in after if row[1] or row[2]} == before
    assert classifier.totals() == (0, 3)


def test_forgetting_what_was_never_learned_never_goes_below_zero(empty_filter):
    classifier.learn(HAM[:1], label="ham")

    classifier.learn(SPAM, label="spam", forget=True)

    assert not FeatureStat.objects.filter(spam__lt=0).exists()
    assert classifier.totals() == (0, 1)


def test_scoring_runs_two_queries_whatever_the_length(empty_filter, django_assert_num_queries):
    classifier.learn(SPAM, label="spam")
    classifier.learn(HAM, label="ham")
    long_text = " ".join(f"word{n} neck pain" for n in range(3000))

    with django_assert_num_queries(2):  # totals, then the statistics of every feature
        classifier.score(Submission(long_text[:20_000]))


def test_learning_a_batch_runs_a_fixed_number_of_queries(
    empty_filter, django_assert_max_num_queries
):
    batch = [
        Submission(f"comment number {n} about knots and heat", f"Reader {n}") for n in range(300)
    ]

    with django_assert_max_num_queries(6):
        classifier.learn(batch, label="ham")

    assert classifier.totals() == (0, 300)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\x00\x01\x02" * 1000,
        "\ud800 lone surrogate",
        "A" * 100_000,
        "ｆｕｌｌ ｗｉｄｔｈ ｃａｓｉｎｏ",
        "раураl vеrіfу ассоunt",  # Cyrillic look-alikes inside Latin words
        "\u200b\u200c\u200d\u2060\ufeff" * 500,
        "中文垃圾广告 http://例子.测试/路径 " * 200,
        "🙂" * 5000,
        "[url=http://x.example]x[/url] <a href='http://y.example'>y</a> {Great|Nice} post",
    ],
)
def test_hostile_text_never_crashes_the_scorer(text):
    result = classifier.score(Submission(text, author=text[:80], email="a@b.c", url=text[:50]))

    assert 0.0 <= result.probability <= 1.0


def test_features_read_links_markup_scripts_and_the_author(empty_filter):
    features = features_of(
        Submission(
            "Hi [url=http://x.example.top/cheap-pills]pills[/url] раураl",
            author="Best CBD Oil",
            email="xk7f92@mail4u.top",
            url="https://cbd-best.example.shop/",
        )
    )

    expected = {
        "markup:bbcode-link",
        "link-tld:top",
        "link-path:cheap",
        "script:cyrillic",
        "char:mixed-script-word",
        "author:cbd",
        "email-tld:top",
        "email-local-digits:4",
        "website-tld:shop",
        "website:hyphenated-name",
    }
    assert expected <= features
