"""The spam defence: one entry point, `check()`, that every public form's service calls.

Each layer looks at one thing and may add a reason. A reason has a severity ("spam": hide it;
"hold": a moderator decides) and a kind ("content": about what was written; "policy": about
who sent it and how, such as a first-time guest or a burst of submissions). The decision is
spam if any reason says spam, hold if any says hold, approve otherwise. Every decision keeps
its reasons, so moderators see why, and `spam evaluate` can leave policy holds out.
"""

import hashlib
import ipaddress
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from painrelief.counters import count_event

from . import akismet_backend, classifier
from .features import SPUN, URL, domain_features
from .models import DisallowedTerm, SpamSource

logger = logging.getLogger(__name__)

APPROVE, HOLD, SPAM = "approve", "hold", "spam"
CONTENT, POLICY = "content", "policy"

# Every reason a layer can give, for the moderators' filter.
REASON_CODES = {
    "classifier": "Reads like spam",
    "classifier-unsure": "May be spam",
    "links": "Many links",
    "spintax": "Spam-tool template",
    "disallowed": "Disallowed term",
    "duplicate": "Duplicate",
    "akismet": "Akismet",
    "first-time": "First-time guest",
    "spam-before": "Sent spam before",
    "rate": "Too many submissions",
    "honeypot": "Honeypot",
    "too-fast": "Sent too fast",
    "form-too-old": "Form too old",
    "no-form-stamp": "No form stamp",
    "captcha-failed": "reCAPTCHA failed",
    "captcha-low-score": "reCAPTCHA low score",
    "captcha-unavailable": "reCAPTCHA unreachable",
}


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    severity: str  # SPAM, HOLD, or "" for a note that changes nothing
    kind: str = CONTENT

    def as_dict(self) -> dict:
        return {"code": self.code, "text": self.text, "severity": self.severity, "kind": self.kind}


@dataclass(frozen=True)
class Captcha:
    """What reCAPTCHA said: v2 passed/failed, v3 a score; `unavailable` when Google failed."""

    passed: bool = True
    score: float | None = None
    unavailable: bool = False


@dataclass(frozen=True)
class Submission:
    """What someone sent through a public form, as the spam defence sees it."""

    text: str
    author: str = ""
    email: str = ""
    url: str = ""


@dataclass(frozen=True)
class Policy:
    """What one kind of submission asks of the defence beyond its content."""

    holds_first_time_guests: bool  # a guest's first submission waits for a moderator
    trusts_accounts: bool  # a signed-in author counts as known (not a first-time guest)


# Comments appear on public pages, so a stranger's first one waits; a question reaches only the
# coach, and a sign-up, a download request or a subscription is not published at all; a
# reader's report of a comment reaches only the moderators.
POLICIES = {
    "comment": Policy(holds_first_time_guests=True, trusts_accounts=True),
    "question": Policy(holds_first_time_guests=False, trusts_accounts=True),
    "signup": Policy(holds_first_time_guests=False, trusts_accounts=False),
    "download": Policy(holds_first_time_guests=False, trusts_accounts=False),
    "subscription": Policy(holds_first_time_guests=False, trusts_accounts=False),
    "report": Policy(holds_first_time_guests=False, trusts_accounts=True),
}


@dataclass(frozen=True)
class Context:
    """How a submission was sent, as the form and the request tell it."""

    kind: str  # a key of POLICIES
    ip: str | None = None
    user_agent: str = ""
    honeypot: str = ""
    seconds_to_submit: float | None = None  # None: no valid "form shown at" stamp
    captcha: Captcha | None = None
    signed_in: bool = False  # with an account whose address is confirmed
    proven_guest: bool = False  # a guest shown to have had a comment approved (comments.guests)

    @property
    def policy(self) -> Policy:
        return POLICIES[self.kind]

    @property
    def trusted(self) -> bool:
        """Known to the site: an account the kind trusts, or a proven guest."""
        return (self.signed_in and self.policy.trusts_accounts) or self.proven_guest


@dataclass(frozen=True)
class Verdict:
    decision: str  # what the site does: APPROVE, HOLD or SPAM (APPROVE in shadow mode)
    score: float  # the classifier's spam probability
    reasons: tuple[Reason, ...] = ()
    defence_decision: str = APPROVE  # what the defence concluded, even in shadow mode

    @property
    def shadow(self) -> bool:
        return self.decision != self.defence_decision

    def content_decision(self) -> str:
        """The decision from content reasons only (what `spam evaluate` measures)."""
        return decide([r for r in self.reasons if r.kind == CONTENT])

    def reason_dicts(self) -> list[dict]:
        return [reason.as_dict() for reason in self.reasons]

    def reason_codes(self) -> str:
        return " ".join(sorted({reason.code for reason in self.reasons}))


# The coach's and moderators' own texts skip the layers (and teach the filter nothing).
STAFF_VERDICT = Verdict(
    APPROVE, 0.0, (Reason("staff", "written by the coach or a moderator", "", POLICY),)
)


def decide(reasons) -> str:
    severities = {reason.severity for reason in reasons}
    if SPAM in severities:
        return SPAM
    if HOLD in severities:
        return HOLD
    return APPROVE


def sent_by_a_robot(verdict: Verdict) -> bool:
    """Spam, or a form that did not come from our page (no valid stamp): a person's browser
    always sends the stamp, a robot posting straight to the address does not. For what nobody
    moderates (download requests, subscriptions): dropped, with the same answer as a success."""
    codes = {reason.code for reason in verdict.reasons}
    return verdict.decision == SPAM or (verdict.decision == HOLD and "no-form-stamp" in codes)


def check(submission: Submission, context: Context, *, record: bool = True) -> Verdict:
    """The verdict on one submission. With record=False nothing is counted (for `evaluate`)."""
    reasons: list[Reason] = []
    reasons += honeypot_layer(context)
    reasons += timing_layer(context)
    reasons += captcha_layer(context)
    reasons += links_layer(submission)
    reasons += spintax_layer(submission)
    reasons += disallowed_layer(submission, context)
    if record:
        reasons += duplicate_layer(submission, context)
        reasons += rate_layer(submission, context)
    reasons += history_layer(submission, context)
    reasons += first_time_layer(context)
    score = classifier.score(submission)
    reasons += classifier_layer(score)
    reasons += akismet_layer(submission, context)
    defence_decision = decide(reasons)
    decision = APPROVE if settings.SPAM_SHADOW_MODE else defence_decision
    return Verdict(decision, round(score.probability, 4), tuple(reasons), defence_decision)


# --- Layers -------------------------------------------------------------------------------


def honeypot_layer(context: Context) -> list[Reason]:
    if context.honeypot.strip():
        return [
            Reason("honeypot", "filled in the hidden field that people never see", SPAM, POLICY)
        ]
    return []


def timing_layer(context: Context) -> list[Reason]:
    seconds = context.seconds_to_submit
    if seconds is None:
        return [
            Reason(
                "no-form-stamp",
                "sent without the form's time stamp (or a forged one)",
                HOLD,
                POLICY,
            )
        ]
    if seconds < settings.SPAM_MIN_SECONDS:
        return [Reason("too-fast", f"sent {seconds:.1f} s after the form was shown", HOLD, POLICY)]
    if seconds > settings.SPAM_MAX_FORM_AGE_HOURS * 3600:
        hours = seconds / 3600
        return [
            Reason(
                "form-too-old", f"sent from a form shown {hours:.0f} hours earlier", HOLD, POLICY
            )
        ]
    return []


def captcha_layer(context: Context) -> list[Reason]:
    captcha = context.captcha
    if captcha is None:
        return []
    if captcha.unavailable:
        return [Reason("captcha-unavailable", "reCAPTCHA could not be reached", HOLD, POLICY)]
    if not captcha.passed:
        return [Reason("captcha-failed", "failed reCAPTCHA", HOLD, POLICY)]
    if captcha.score is not None and captcha.score < settings.RECAPTCHA_REQUIRED_SCORE:
        return [Reason("captcha-low-score", f"reCAPTCHA score {captcha.score:.1f}", HOLD, POLICY)]
    return []


def spintax_layer(submission: Submission) -> list[Reason]:
    """Unexpanded "spintax" ({Great|Nice} post): a spam tool's template, never a person."""
    if len(SPUN.findall(submission.text)) >= 2:
        return [Reason("spintax", "contains spam-tool templates ({a|b})", SPAM)]
    return []


def links_layer(submission: Submission) -> list[Reason]:
    links = len(URL.findall(submission.text)) + ("[url" in submission.text.lower())
    if links > settings.SPAM_MAX_LINKS:
        return [Reason("links", f"{links} links", HOLD)]
    return []


def disallowed_layer(submission: Submission, context: Context) -> list[Reason]:
    terms = list(DisallowedTerm.objects.values_list("kind", "value"))
    if not terms:
        return []
    text = f"{submission.text}\n{submission.author}".lower()
    domains = {
        feature.split(":", 1)[1]
        for address in [
            *URL.findall(submission.text),
            submission.url,
            submission.email.rpartition("@")[2],
        ]
        if address
        for feature in domain_features("d", address.lower())
        if feature.startswith(("d:", "d-base:"))
    }
    for kind, value in terms:
        matched = (
            (kind == DisallowedTerm.Kind.PHRASE and value in text)
            or (
                kind == DisallowedTerm.Kind.DOMAIN
                and any(d == value or d.endswith(f".{value}") for d in domains)
            )
            or (kind == DisallowedTerm.Kind.EMAIL and submission.email.lower() == value)
            or (kind == DisallowedTerm.Kind.IP and ip_matches(context.ip, value))
        )
        if matched:
            kind_of_reason = POLICY if kind == DisallowedTerm.Kind.IP else CONTENT
            return [
                Reason(
                    "disallowed", f"contains the disallowed {kind} “{value}”", SPAM, kind_of_reason
                )
            ]
    return []


def ip_matches(ip: str | None, value: str) -> bool:
    if not ip:
        return False
    try:
        return ipaddress.ip_address(ip) in ipaddress.ip_network(value, strict=False)
    except ValueError:
        return ip.startswith(value)


def duplicate_layer(submission: Submission, context: Context) -> list[Reason]:
    """The same text sent again within a day (by anyone, on any page)."""
    normalized = " ".join(submission.text.lower().split())
    if len(normalized) < settings.SPAM_DUPLICATE_MIN_LENGTH:
        return []  # "Thank you!" twice is not spam
    digest = hashlib.sha256(normalized.encode()).hexdigest()
    key = f"spam:duplicate:{context.kind}:{digest}"
    if not cache.add(key, 1, 24 * 3600):
        return [Reason("duplicate", "the same text was sent in the last 24 hours", HOLD)]
    return []


def rate_layer(submission: Submission, context: Context) -> list[Reason]:
    """More submissions than a person writes: per IP address and per email address."""
    limit = settings.SPAM_RATE_LIMIT_PER_HOUR
    reasons = []
    for label, value in (("IP address", context.ip), ("email address", submission.email)):
        if not value:
            continue
        digest = hashlib.sha256(value.lower().encode()).hexdigest()[:32]
        key = f"spam:rate:{context.kind}:{label.split()[0]}:{digest}"
        count = count_event(key, window_seconds=3600)
        if count > limit:
            reasons.append(
                Reason("rate", f"{count} submissions in an hour from this {label}", HOLD, POLICY)
            )
    return reasons


def history_layer(submission: Submission, context: Context) -> list[Reason]:
    since = timezone.now() - timedelta(days=settings.SPAM_HISTORY_DAYS)
    email = submission.email.strip().lower()
    who = (Q(email=email) if email else Q()) | (Q(ip=context.ip) if context.ip else Q())
    if not who:
        return []
    seen = SpamSource.objects.filter(who, created_at__gte=since).values_list("email", flat=True)
    matches = list(seen[:1])
    if not matches:
        return []
    address = "email address" if email and matches[0] == email else "IP address"
    return [Reason("spam-before", f"this {address} sent spam before", HOLD, POLICY)]


def first_time_layer(context: Context) -> list[Reason]:
    if context.trusted or not context.policy.holds_first_time_guests:
        return []
    if not settings.SPAM_HOLD_FIRST_TIME_GUESTS:
        return []
    return [Reason("first-time", "first submission from this guest", HOLD, POLICY)]


def classifier_layer(score: classifier.Score) -> list[Reason]:
    if not score.learned:
        return [Reason("classifier-untrained", "the filter has not learned anything yet", "")]
    clues = ", ".join(score.spam_clues[:5])
    if score.hold_above is None:
        flagged = score.probability >= settings.SPAM_CLASSIFIER_HOLD
    else:
        flagged = score.probability > score.hold_above  # calibrated on SPAM_TARGET_FPR
    if not flagged:
        return []
    if score.probability >= settings.SPAM_CLASSIFIER_SPAM:
        return [Reason("classifier", f"reads like spam ({score.probability:.2f}: {clues})", SPAM)]
    return [Reason("classifier-unsure", f"may be spam ({score.probability:.2f}: {clues})", HOLD)]


def akismet_layer(submission: Submission, context: Context) -> list[Reason]:
    if not settings.AKISMET_API_KEY:
        return []
    try:
        is_spam = akismet_backend.comment_check(submission, context)
    except akismet_backend.Unavailable as error:
        logger.warning("Akismet unavailable: %s", type(error).__name__)
        return [Reason("akismet-unavailable", "Akismet could not be reached", "", POLICY)]
    if is_spam:
        return [Reason("akismet", "Akismet says spam", SPAM)]
    return []
