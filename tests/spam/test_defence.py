"""The defence's layers, each on its own, and the decision they add up to."""

from unittest import mock

import pytest

from painrelief.spam import akismet_backend, classifier, defence
from painrelief.spam.defence import Captcha, Context, Submission, check
from painrelief.spam.models import DisallowedTerm, SpamSource

pytestmark = pytest.mark.django_db

READER_TEXT = "The heat pack helped my stiff neck, and the doorway stretch too. Thank you!"
NORMAL = Context(kind="comment", ip="203.0.113.9", seconds_to_submit=60, signed_in=True)


def codes(verdict):
    return {reason.code for reason in verdict.reasons}


def verdict_on(text=READER_TEXT, context=NORMAL, **fields):
    return check(Submission(text=text, **fields), context)


def with_context(**changes):
    return Context(**{**NORMAL.__dict__, **changes})


def test_a_normal_comment_from_a_known_reader_is_approved():
    verdict = verdict_on()

    assert verdict.decision == defence.APPROVE
    assert not {r.severity for r in verdict.reasons} - {""}


def test_a_filled_honeypot_is_spam():
    verdict = verdict_on(context=with_context(honeypot="http://seo.example"))

    assert verdict.decision == defence.SPAM and "honeypot" in codes(verdict)


@pytest.mark.parametrize(
    ("seconds", "code"),
    [(0.8, "too-fast"), (None, "no-form-stamp"), (3 * 24 * 3600, "form-too-old")],
)
def test_timing_that_no_person_produces_holds(seconds, code):
    verdict = verdict_on(context=with_context(seconds_to_submit=seconds))

    assert verdict.decision == defence.HOLD and code in codes(verdict)


@pytest.mark.parametrize(
    ("captcha", "code"),
    [
        (Captcha(unavailable=True), "captcha-unavailable"),
        (Captcha(passed=False), "captcha-failed"),
        (Captcha(score=0.2), "captcha-low-score"),
    ],
)
def test_recaptcha_doubts_and_outages_hold_and_never_lose(captcha, code):
    verdict = verdict_on(context=with_context(captcha=captcha))

    assert verdict.decision == defence.HOLD and code in codes(verdict)


def test_many_links_hold(settings):
    settings.SPAM_MAX_LINKS = 2
    text = "See http://a.example/1 and http://b.example/2 and www.c.example/3 for more."

    assert "links" in codes(verdict_on(text))
    assert "links" not in codes(verdict_on("My physio's page: https://physio.example/neck"))


@pytest.mark.parametrize(
    ("kind", "value", "fields"),
    [
        ("phrase", "replica watches", {"text": "Nice. Replica Watches at a discount."}),
        ("phrase", "seo expert", {"author": "SEO Expert Agency"}),
        ("domain", "spamshop.example", {"text": "go to https://www.spamshop.example/x"}),
        ("domain", "spamshop.example", {"url": "http://deals.spamshop.example"}),
        ("domain", "throwaway.example", {"email": "a@throwaway.example"}),
        ("email", "bot@mail.example", {"email": "Bot@Mail.example"}),
        ("ip", "198.51.100.0/24", {}),
    ],
)
def test_disallowed_terms_edited_in_the_admin_mark_spam(kind, value, fields):
    DisallowedTerm.objects.create(kind=kind, value=value)
    context = with_context(ip="198.51.100.77")

    verdict = check(Submission(**{"text": READER_TEXT, **fields}), context)

    assert verdict.decision == defence.SPAM and "disallowed" in codes(verdict)


def test_a_disallowed_domain_does_not_match_a_longer_name():
    DisallowedTerm.objects.create(kind="domain", value="pill.example")

    assert "disallowed" not in codes(verdict_on("see https://nopill.example/"))


def test_the_same_long_text_twice_in_a_day_is_held_the_second_time():
    first = verdict_on()
    second = verdict_on(context=with_context(ip="192.0.2.1"))
    short = [verdict_on("Thank you!") for _ in range(2)]

    assert "duplicate" not in codes(first) and "duplicate" in codes(second)
    assert all("duplicate" not in codes(v) for v in short)


def test_bursts_from_one_ip_address_or_email_are_held(settings):
    settings.SPAM_RATE_LIMIT_PER_HOUR = 3
    verdicts = [
        verdict_on(f"Comment {n}: {READER_TEXT}", email="same@post.example") for n in range(4)
    ]

    assert [("rate" in codes(v)) for v in verdicts] == [False, False, False, True]


def test_an_address_that_sent_spam_before_is_held():
    SpamSource.objects.create(content_type_id=1, object_id=1, email="old@spam.example")

    verdict = verdict_on(email="OLD@spam.example")

    assert verdict.decision == defence.HOLD and "spam-before" in codes(verdict)


def test_a_first_time_guest_is_held_unless_trusted_or_the_setting_is_off(settings):
    guest = with_context(signed_in=False)

    assert "first-time" in codes(verdict_on(context=guest))
    assert "first-time" not in codes(verdict_on(context=NORMAL))
    settings.SPAM_HOLD_FIRST_TIME_GUESTS = False
    assert "first-time" not in codes(verdict_on("Another comment here.", context=guest))


@pytest.mark.parametrize(
    ("kind", "signed_in", "proven_guest", "held"),
    [
        ("comment", False, False, True),
        ("comment", True, False, False),
        ("comment", False, True, False),
        ("question", False, False, False),
        ("signup", False, False, False),
        ("download", False, False, False),
    ],
)
def test_each_kind_says_whether_first_time_guests_wait(kind, signed_in, proven_guest, held):
    """The policy table, not the caller, decides: only a stranger's first comment waits."""
    context = with_context(kind=kind, signed_in=signed_in, proven_guest=proven_guest)

    assert ("first-time" in codes(verdict_on(context=context))) is held


def test_an_account_counts_as_known_only_where_the_kind_trusts_accounts():
    assert with_context(kind="comment", signed_in=True).trusted
    assert with_context(kind="question", signed_in=True).trusted
    assert not with_context(kind="signup", signed_in=True).trusted


def test_the_classifier_marks_spam_and_holds_when_unsure(settings):
    settings.SPAM_CLASSIFIER_HOLD = 0.9
    classifier.forget_everything()
    classifier.learn(
        [Submission("cheap pills casino bonus http://x.example.top")] * 5, label="spam"
    )
    classifier.learn([Submission("my neck and shoulder knot eased with heat")] * 5, label="ham")

    spam = verdict_on("cheap pills casino bonus")
    settings.SPAM_CLASSIFIER_SPAM = 0.999
    settings.SPAM_CLASSIFIER_HOLD = 0.5
    unsure = verdict_on("cheap pills")

    assert spam.decision == defence.SPAM and "classifier" in codes(spam)
    assert unsure.decision == defence.HOLD and "classifier-unsure" in codes(unsure)


def test_shadow_mode_approves_and_keeps_what_the_defence_would_have_done(settings):
    settings.SPAM_SHADOW_MODE = True

    verdict = verdict_on(context=with_context(honeypot="filled"))

    assert verdict.decision == defence.APPROVE
    assert verdict.defence_decision == defence.SPAM and verdict.shadow


def test_content_decision_leaves_policy_holds_out():
    verdict = verdict_on(context=with_context(signed_in=False, seconds_to_submit=0.5))

    assert verdict.decision == defence.HOLD
    assert verdict.content_decision() == defence.APPROVE


class TestAkismet:
    """Akismet's servers are replaced at the backend's seam; the layer around it runs."""

    @pytest.fixture(autouse=True)
    def key(self, settings):
        settings.AKISMET_API_KEY = "key"
        settings.AKISMET_SITE_URL = "https://painrelief.example"

    def test_akismet_spam_is_spam(self):
        with mock.patch.object(akismet_backend, "comment_check", return_value=True):
            verdict = verdict_on()

        assert verdict.decision == defence.SPAM and "akismet" in codes(verdict)

    def test_an_akismet_failure_lets_the_local_layers_decide(self):
        failure = akismet_backend.Unavailable("timeout")
        with mock.patch.object(akismet_backend, "comment_check", side_effect=failure):
            verdict = verdict_on()

        assert verdict.decision == defence.APPROVE
        assert "akismet-unavailable" in codes(verdict)

    def test_the_client_times_out_quickly_and_reports_unavailable(self, settings):
        settings.AKISMET_TIMEOUT_SECONDS = 0.2

        with mock.patch("httpx.Client.send", side_effect=__import__("httpx").ConnectTimeout("t")):
            verdict = verdict_on()

        assert verdict.decision == defence.APPROVE
        assert "akismet-unavailable" in codes(verdict)


@pytest.mark.parametrize(
    ("configured", "mentions"),
    [
        ({}, []),
        ({"RECAPTCHA_ENABLED": True}, ["reCAPTCHA"]),
        ({"AKISMET_API_KEY": "key"}, ["Akismet"]),
    ],
)
def test_the_privacy_page_says_what_is_checked_and_who_else_sees_it(
    client, settings, configured, mentions
):
    for name, value in configured.items():
        setattr(settings, name, value)

    html = client.get("/privacy/").text

    assert "checked on our own server" in html
    for service in ("reCAPTCHA", "Akismet"):
        assert (service in html) == (service in mentions)


@pytest.mark.parametrize(
    ("probability", "hold_above", "decision"),
    [
        (0.55, 0.52, defence.HOLD),  # calibrated: below SPAM_CLASSIFIER_HOLD, still held
        (0.75, 0.80, None),  # calibrated: above SPAM_CLASSIFIER_HOLD, not flagged
        (0.95, 0.97, None),  # not even marked spam under the calibrated threshold
        (0.98, 0.97, defence.SPAM),
        (0.65, None, defence.HOLD),  # not calibrated yet: SPAM_CLASSIFIER_HOLD
        (0.95, None, defence.SPAM),
    ],
)
def test_the_classifier_holds_above_the_calibrated_threshold(
    probability, hold_above, decision, settings
):
    settings.SPAM_CLASSIFIER_HOLD = 0.6
    settings.SPAM_CLASSIFIER_SPAM = 0.9
    score = classifier.Score(probability, ("casino",), (), learned=True, hold_above=hold_above)

    reasons = defence.classifier_layer(score)

    assert [r.severity for r in reasons] == ([decision] if decision else [])
