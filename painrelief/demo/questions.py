"""Demo questions: readers' cases in every state of the coach's desk, and the coach's answers.

The first twenty cases are written by hand, and the first eight hold one of each state: public,
answered privately, waiting for the asker's approval, new with and without red flags,
declined, held and spam. Past them, cases are put together from common complaints and the
askers' circumstances, in a fixed mix of states. What they say is in data/questions.toml (the
hand-written cases) and data/question-variations.toml; this module puts it together.

Every question is inserted with bulk_create, and its body areas and related articles through
the M2M tables, so the number of INSERT queries does not grow with the number of questions.
bulk_create skips save(): each distinct answer is rendered once here. Red flags are found by
the same service as for a reader's question (the flags loaded once). Questions are keyed by
title, so seeding again adds only the missing ones.
"""

import random
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article
from painrelief.accounts.models import User
from painrelief.demo import articles as demo_articles
from painrelief.demo import load
from painrelief.rendered import render_each_source_once
from painrelief.spam import defence
from questions import services
from questions.models import BodyArea, Question, RedFlag, Snippet

# What a demo case becomes: a status, or for answered ones where it stands with publication.
PUBLIC, PRIVATE, WAITING = "public", "answered privately", "waiting for approval"
NEW, DECLINED, HELD, SPAM = (
    Question.Status.NEW,
    Question.Status.DECLINED,
    Question.Status.HELD,
    Question.Status.SPAM,
)
ANSWERED = {PUBLIC, PRIVATE, WAITING}

BATCH_SIZE = 250
ANONYMOUS = Question.Publication.ANONYMOUS
NAMED = Question.Publication.NAMED
KEPT_PRIVATE = Question.Publication.PRIVATE

# The demo articles that answers link to, by the key used in `[label](article:key)`.
ARTICLES = demo_articles.TITLES


@dataclass(frozen=True, kw_only=True)
class Case:
    """One demo question, as the asker wrote it, and what became of it."""

    kind: str
    title: str
    body: str
    areas: tuple[str, ...]
    name: str
    email: str = ""  # the demo reader's questions take their account's
    days_ago: float
    duration: str = ""
    on_behalf: bool = False
    publication: str = KEPT_PRIVATE
    answer: str = ""
    public_title: str = ""
    public_body: str = ""
    notes: str = ""
    reasons: tuple[defence.Reason, ...] = ()  # why the spam defence held or refused it
    spam_score: float = 0.05
    by_reader: bool = False


def _links(count: int) -> defence.Reason:
    return defence.Reason("links", f"{count} links", defence.HOLD)


FIRST_TIME = defence.Reason(
    "first-time", "first submission from this guest", defence.HOLD, defence.POLICY
)
KINDS = {kind: kind for kind in (PUBLIC, PRIVATE, WAITING, NEW, DECLINED, HELD, SPAM)}


def _case(case: dict) -> Case:
    return Case(
        **case
        | {
            "kind": KINDS[case["kind"]],
            "areas": tuple(case["areas"]),
            "duration": Question.Duration(case["duration"]) if "duration" in case else "",
            "publication": Question.Publication(case.get("publication", KEPT_PRIVATE)),
            "reasons": tuple(defence.Reason(**reason) for reason in case.get("reasons", ())),
        }
    )


_hand_written = load("questions.toml")
# The first eight hold one question of each kind: `--questions 8` shows the whole desk.
CASES = [_case(case) for case in _hand_written["cases"]]
# Used only if the coach has deleted the "Kind decline" snippet.
DECLINE = _hand_written["decline"]
USER_AGENTS = _hand_written["user_agents"]

# --- Variations past the hand-written cases -------------------------------------------------


@dataclass(frozen=True)
class Complaint:
    """A common reason to write: how askers put it, and how the coach answers it."""

    areas: tuple[str, ...]
    titles: tuple[str, str, str, str]
    stories: tuple[str, str]
    tried: tuple[str, str]
    asks: tuple[str, str]
    why: str
    steps: tuple[str, str, str, str]
    reading: str  # with `[label](article:key)` links
    doctor: str  # "See your doctor ..."
    resource: tuple[str, str]  # an NHS page: its subject and its address
    red_flag: str  # a symptom that needs a doctor, not a coach (matches one of the red flags)
    durations: tuple[str, ...]  # how long it may have lasted: Question.Duration values


@dataclass(frozen=True)
class Circumstance:
    """Who is asking: in the title, in the case (with identifying details), in the public copy,
    and what the coach adds about it."""

    tag: str
    private: str  # "{place}" is filled in
    public: str
    advice: str
    ages: tuple[int, int]


def _complaint(complaint: dict, *, nhs_pages: dict, doctor_advice: dict) -> Complaint:
    page = nhs_pages[complaint["nhs_page"]]
    return Complaint(
        areas=tuple(complaint["areas"]),
        titles=tuple(complaint["titles"]),
        stories=tuple(complaint["stories"]),
        tried=tuple(complaint["tried"]),
        asks=tuple(complaint["asks"]),
        why=complaint["why"],
        steps=tuple(complaint["steps"]),
        reading=complaint["reading"],
        doctor=complaint.get("doctor") or doctor_advice[complaint["doctor_advice"]],
        resource=(page["subject"], page["address"]),
        red_flag=complaint["red_flag"],
        durations=tuple(Question.Duration(duration) for duration in complaint["durations"]),
    )


_variations = load("question-variations.toml")
COMPLAINTS = [
    _complaint(
        complaint,
        nhs_pages=_variations["nhs_pages"],
        doctor_advice=_variations["doctor_advice"],
    )
    for complaint in _variations["complaints"]
]
CIRCUMSTANCES = [
    Circumstance(**circumstance | {"ages": tuple(circumstance["ages"])})
    for circumstance in _variations["circumstances"]
]
SINCE = {Question.Duration(duration): text for duration, text in _variations["since"].items()}
LETTERS, ANSWERS, SPAM_TEXTS = _variations["letters"], _variations["answers"], _variations["spam"]

# The mix of states past the hand-written cases: 8 public, 4 answered privately, 2 waiting,
# 4 new (one with a red flag), 1 declined, 2 held, 2 spam in every 23 questions. 23 shares no
# factor with the 10 complaints and 13 circumstances, so every state meets every complaint.
NEW_WITH_RED_FLAG = "new, with a red flag"
MIX = [
    PUBLIC,
    NEW,
    PRIVATE,
    PUBLIC,
    SPAM,
    WAITING,
    PUBLIC,
    HELD,
    NEW,
    PUBLIC,
    PRIVATE,
    DECLINED,
    PUBLIC,
    NEW_WITH_RED_FLAG,
    PRIVATE,
    PUBLIC,
    SPAM,
    PUBLIC,
    WAITING,
    HELD,
    PUBLIC,
    PRIVATE,
    NEW,
]
# Titles repeat after this many variations; later ones get a number.
PAIRS = len(COMPLAINTS) * len(CIRCUMSTANCES)
DISTINCT_TITLES = PAIRS * 4
# How many days back the variations are sent; declined ones stay within the retention period.
MAX_AGE = {PUBLIC: 240, PRIVATE: 240, WAITING: 30, DECLINED: 150}


def variation(n: int) -> Case:
    """The `n`th case past the hand-written ones: the same on every run and every machine."""
    rng = random.Random(n)  # noqa: S311 (demo text, not secrets)
    kind = MIX[n % len(MIX)]
    if kind == SPAM:
        return _spam(n, rng)
    complaint = COMPLAINTS[n % len(COMPLAINTS)]
    circumstance = CIRCUMSTANCES[n % len(CIRCUMSTANCES)]
    title = f"{complaint.titles[n // PAIRS % 4]} ({circumstance.tag})"
    if n >= DISTINCT_TITLES:
        title += f" ({n // DISTINCT_TITLES + 1})"
    first = rng.choice(LETTERS["first_names"])
    initial = rng.choice(LETTERS["initials"])
    duration = rng.choice(complaint.durations)
    story = f"{rng.choice(complaint.stories)} {SINCE[duration]}"
    ask = rng.choice(complaint.asks)
    if kind == NEW_WITH_RED_FLAG:
        story += " " + complaint.red_flag
    elif kind == DECLINED:
        declined_asks = LETTERS["declined_asks"]
        ask = declined_asks[n // len(MIX) % len(declined_asks)]
    elif kind == HELD:
        ask += " " + LETTERS["held_links"]
    tried = rng.choice(complaint.tried)
    private = circumstance.private.format(place=rng.choice(LETTERS["places"]))
    age = rng.randint(*circumstance.ages)
    body = LETTERS["body"].format(
        greeting=rng.choice(LETTERS["greetings"]),
        circumstance=private,
        age=age,
        story=story,
        tried=tried,
        ask=ask,
        sign_off=rng.choice(LETTERS["sign_offs"]),
        name=first,
    )
    publication = KEPT_PRIVATE if kind == PRIVATE else rng.choice([ANONYMOUS, ANONYMOUS, NAMED])
    recent = kind in (NEW, NEW_WITH_RED_FLAG, HELD)
    return Case(
        kind=NEW if kind == NEW_WITH_RED_FLAG else kind,
        title=title,
        body=body,
        areas=complaint.areas,
        name=f"{first} {initial}." if publication == NAMED else first,
        email=f"{slugify(first)}.{initial.lower()}{rng.randint(1, 99)}@example.net",
        days_ago=rng.uniform(0.2, 14) if recent else rng.uniform(4, MAX_AGE[kind]),
        duration=duration,
        publication=publication,
        answer=_answer(complaint, circumstance, n) if kind in ANSWERED else "",
        public_title=title if kind in (PUBLIC, WAITING) else "",
        public_body=LETTERS["public"].format(
            circumstance=circumstance.public, story=story, tried=tried, ask=ask
        )
        if kind in (PUBLIC, WAITING)
        else "",
        reasons=(_links(2), FIRST_TIME) if kind == HELD else (),
        spam_score=round(rng.uniform(0.3, 0.6) if kind == HELD else rng.uniform(0.01, 0.2), 2),
    )


def _answer(complaint: Complaint, circumstance: Circumstance, n: int) -> str:
    # Cases that differ only by the number after their title get the same answer: a large demo
    # renders a few hundred answers, not thousands.
    rng = random.Random(f"answer {n % DISTINCT_TITLES}")  # noqa: S311 (demo text, not secrets)
    start = rng.randrange(4)
    steps = complaint.steps[start:] + complaint.steps[:start]
    subject, address = complaint.resource
    return ANSWERS["body"].format(
        opening=rng.choice(ANSWERS["openings"]),
        why=complaint.why,
        advice=circumstance.advice,
        steps="\n".join(f"{number}. {step}" for number, step in enumerate(steps, 1)),
        reading=complaint.reading,
        doctor=complaint.doctor,
        subject=subject,
        address=address,
        closing=rng.choice(ANSWERS["closings"]),
    )


def _spam(n: int, rng: random.Random) -> Case:
    template = SPAM_TEXTS["templates"][n // len(MIX) % len(SPAM_TEXTS["templates"])]
    values = {
        "n": 1000 + n,
        "product": rng.choice(SPAM_TEXTS["products"]),
        "site": rng.choice(SPAM_TEXTS["sites"]),
    }
    return Case(
        kind=SPAM,
        title=template["title"].format(**values),
        body=template["body"].format(**values),
        areas=(),
        name=rng.choice(SPAM_TEXTS["senders"]),
        email=f"offers{1000 + n}@example.net",
        days_ago=rng.uniform(0.1, 14),
        publication=NAMED,
        reasons=(
            defence.Reason(
                "classifier", "reads like spam (0.99: offer, order, guaranteed)", defence.SPAM
            ),
        ),
        spam_score=0.99,
    )


# --- Seeding --------------------------------------------------------------------------------


def cases(count: int) -> list[Case]:
    """The first `count` demo cases: the hand-written ones, then variations."""
    return CASES[:count] + [variation(n) for n in range(max(count - len(CASES), 0))]


def seed_questions(count: int, *, reader: User) -> tuple[int, Counter]:
    """Make sure the first `count` demo questions exist; return how many were created and
    how many of them are in each kind (and how many new ones have red flags)."""
    if count <= 0:
        return 0, Counter()
    existing = {
        question.title: question
        for question in Question.objects.order_by().only(
            "title", "status", "publication", "consent", "answer_published_at", "has_red_flags"
        )
    }
    planned = cases(count)
    missing = [case for case in planned if case.title not in existing]
    if missing:
        existing |= {question.title: question for question in _create(missing, reader=reader)}
    tally = Counter()
    for case in planned:
        question = existing[case.title]
        kind = _kind(question)
        tally[kind] += 1
        tally["red flags"] += kind == NEW and question.has_red_flags
    return len(missing), tally


def _kind(question: Question) -> str:
    if question.is_public:
        return PUBLIC
    if question.status == Question.Status.ANSWERED:
        return WAITING if question.consent == Question.Consent.PENDING else PRIVATE
    return question.status


def _create(missing: list[Case], *, reader: User) -> list[Question]:
    now = timezone.now()
    areas = {area.slug: area.pk for area in BodyArea.objects.all()}
    demo = {
        article.slug: article
        for article in Article.objects.published()
        .filter(slug__in=[slugify(title) for title in ARTICLES.values()])
        .only("pk", "slug")
    }
    articles = {key: demo.get(slugify(title)) for key, title in ARTICLES.items()}
    decline_message = _decline_message()
    red_flags = list(RedFlag.objects.filter(active=True))
    rows, related = [], []
    for case in missing:
        answer, linked = _with_links(case.answer, articles)
        rows.append(
            _question(
                case,
                answer,
                reader=reader,
                decline_message=decline_message,
                red_flags=red_flags,
                now=now,
            )
        )
        related.append(linked[:2])
    render_each_source_once(rows)
    Question.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    BodyAreas = Question.body_areas.through
    BodyAreas.objects.bulk_create(
        [
            BodyAreas(question_id=question.pk, bodyarea_id=areas[slug])
            for case, question in zip(missing, rows, strict=True)
            for slug in case.areas
            if slug in areas
        ],
        batch_size=500,
    )
    Related = Question.related_articles.through
    Related.objects.bulk_create(
        [
            Related(question_id=question.pk, article_id=article.pk)
            for question, linked in zip(rows, related, strict=True)
            for article in linked
        ],
        batch_size=500,
    )
    return rows


def _with_links(answer: str, articles: dict[str, Article | None]) -> tuple[str, list[Article]]:
    """The answer with its `article:` links pointing at the published demo articles (plain text
    where there is none), and those articles."""
    linked: list[Article] = []

    def link(match: re.Match) -> str:
        label, article = match.group(1), articles.get(match.group(2))
        if article is None:
            return label
        if article not in linked:
            linked.append(article)
        return f"[{label}]({article.get_absolute_url()})"

    return demo_articles.ARTICLE_LINK.sub(link, answer), linked


def _question(case: Case, answer: str, *, reader, decline_message, red_flags, now) -> Question:
    """The question as its row, with its red flags; the caller renders the answer."""
    rng = random.Random(case.title)  # noqa: S311 (demo dates, not secrets)
    created = now - timedelta(days=case.days_ago)
    owner = reader if case.by_reader else None
    question = Question(
        title=case.title,
        body=case.body,
        duration=case.duration,
        on_behalf=case.on_behalf,
        name=case.name,
        email=owner.email if owner else case.email,
        user=owner,
        publication=case.publication,
        created_at=created,
        status=Question.Status.ANSWERED if case.kind in ANSWERED else case.kind,
        spam_score=case.spam_score,
        spam_verdict={HELD: defence.HOLD, SPAM: defence.SPAM}.get(case.kind, defence.APPROVE),
        reasons=[reason.as_dict() for reason in case.reasons],
        reason_codes=" ".join(sorted({reason.code for reason in case.reasons})),
        ip_address=f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randint(1, 254)}",
        user_agent=rng.choice(USER_AGENTS),
        answer=answer,
        internal_notes=case.notes,
        public_title=case.public_title,
        public_body=case.public_body,
    )
    question.red_flags = services.red_flags_in(
        f"{question.title}\n{question.body}", flags=red_flags
    )
    question.has_red_flags = bool(question.red_flags)
    if case.kind in ANSWERED:
        question.answer_published_at = _after(created, rng, now=now)
    if case.kind == PUBLIC:
        question.consent = Question.Consent.APPROVED
        question.consent_changed_at = question.published_at = _after(
            question.answer_published_at, rng, now=now
        )
    elif case.kind == WAITING:
        question.consent = Question.Consent.PENDING
        question.consent_changed_at = _after(question.answer_published_at, rng, now=now)
    if question.consent != Question.Consent.NOT_ASKED:
        question.consent_text = services.public_text_of(question)
    if case.kind == DECLINED:
        question.decline_message = decline_message
        question.declined_at = _after(created, rng, now=now)
    question.render()  # once its state is set: only a public answer keeps a search copy
    return question


def _after(moment: datetime, rng: random.Random, *, now: datetime) -> datetime:
    """A time from a few hours to three days after `moment`, and not in the future."""
    delay = timedelta(hours=rng.uniform(3, 72))
    return moment + min(delay, (now - moment) * rng.uniform(0.2, 0.6))


def _decline_message() -> str:
    snippets = Snippet.objects.filter(use=Snippet.Use.DECLINE).order_by("pk")
    stock = snippets.filter(title="Kind decline").first() or snippets.first()
    return stock.body if stock else DECLINE
