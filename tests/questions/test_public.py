"""The public Q&A: only answered, agreed, approved questions; list, pages, feed, sitemap,
search; fixed query counts; and the privacy tools (export, erase, retention)."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from painrelief.comments.models import Comment
from painrelief.mail import outbox
from painrelief.mail.models import OutgoingEmail
from questions import services
from questions.models import Question
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    QuestionFactory,
    UserFactory,
    coach,
)

pytestmark = pytest.mark.django_db

LIST = reverse("questions:list")


@pytest.mark.parametrize(
    "changes",
    [
        {"publication": "private"},
        {"consent": "pending"},
        {"consent": "declined"},
        {"answer_published_at": None},
        {"status": "declined"},
    ],
    ids=["private", "pending", "declined consent", "draft answer", "declined"],
)
def test_only_answered_agreed_and_approved_questions_are_public(client, changes):
    hidden = QuestionFactory(public=True, public_title="Hidden one")
    Question.objects.filter(pk=hidden.pk).update(**changes)
    shown = QuestionFactory(public=True, public_title="Shown one")

    listing = client.get(LIST).text

    assert "Shown one" in listing and "Hidden one" not in listing
    assert client.get(shown.get_absolute_url()).status_code == 200
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_the_page_shows_the_public_version_the_answer_and_never_the_askers_details(client):
    question = QuestionFactory(
        public=True,
        name="Anna Secret",
        email="anna.secret@example.net",
        body="Original with Anna's husband Mark.",
        public_body="A reader's husband.",
        answer="Try **heat**.",
    )
    article = ArticleFactory(title="Heat or ice?")
    question.related_articles.add(article)

    html = client.get(question.get_absolute_url()).text

    assert "A reader&#x27;s husband." in html and "<strong>heat</strong>" in html
    assert "not medical advice" in html and article.get_absolute_url() in html
    assert "Anna Secret" not in html and "anna.secret" not in html and "Mark" not in html
    assert "Leave a Reply" in html  # comments


def test_the_name_shows_only_when_the_asker_chose_it(client):
    anonymous = QuestionFactory(public=True, name="Anna")
    named = QuestionFactory(public=True, name="Berta", publication="named")

    assert "Asked by Anna" not in client.get(anonymous.get_absolute_url()).text
    assert "Asked by Berta" in client.get(named.get_absolute_url()).text


def test_an_old_slug_redirects_to_the_current_one(client):
    question = QuestionFactory(public=True, public_title="New title")

    response = client.get(
        reverse("questions:detail", kwargs={"slug": f"old-title-{question.public_key}"})
    )

    assert response.status_code == 301 and response.url == question.get_absolute_url()


def test_the_list_is_newest_first_and_filters_by_body_area(client):
    five_days_ago = timezone.now() - timedelta(days=5)
    old = QuestionFactory(
        public=True, public_title="Old neck", published_at=five_days_ago, areas=["neck"]
    )
    new = QuestionFactory(public=True, public_title="New back", areas=["lower-back"])

    everything = client.get(LIST).text
    neck = client.get(LIST, {"area": "neck"}).text

    assert everything.index(new.public_title) < everything.index(old.public_title)
    assert "Old neck" in neck and "New back" not in neck
    assert client.get(LIST, {"area": "nowhere"}).status_code == 404


def test_the_feed_and_sitemap_list_public_questions_only(client):
    public = QuestionFactory(public=True, public_title="In the feed")
    private = QuestionFactory(title="Private title")

    feed = client.get(reverse("questions:feed")).text
    sitemap = client.get("/sitemap-questions.xml").text

    assert "In the feed" in feed and "Private title" not in feed
    assert public.get_absolute_url() in sitemap and private.public_key not in sitemap


def test_the_site_search_finds_articles_and_public_questions(client):
    ArticleFactory(title="Sciatica and sitting")
    QuestionFactory(public=True, public_title="Sciatica after a long drive")
    QuestionFactory(title="Private sciatica case", body="sciatica " * 5)

    html = client.get(reverse("search"), {"q": "sciatica"}).text

    assert "Sciatica and sitting" in html and "Sciatica after a long drive" in html
    assert "Private sciatica case" not in html


def test_comments_on_a_public_question_go_away_with_it(client):
    question = QuestionFactory(public=True)
    CommentFactory(target=question, body="Same here, thank you.")

    assert "Same here, thank you." in client.get(question.get_absolute_url()).text
    services.change_publication(question=question, publication="private")
    assert client.get(question.get_absolute_url()).status_code == 404


def make_public_questions(count):
    article = ArticleFactory()
    for n in range(count):
        question = QuestionFactory(public=True, areas=["neck", "upper-back"])
        question.related_articles.add(article)
        if n == 0:
            CommentFactory.create_batch(3, target=question)
    return Question.objects.first()


PAGES = {
    "list": lambda q: LIST,
    "list by area": lambda q: f"{LIST}?area=neck",
    "detail": lambda q: q.get_absolute_url(),
    "feed": lambda q: reverse("questions:feed"),
}
# list: count + page + areas of the page + the filter's areas; by area: + the area;
# detail: question + its areas + related articles + comments (3); feed: one query.
QUERIES = {"list": 4, "list by area": 5, "detail": 6, "feed": 1}
STORING = 1  # a page kept in the cache: when the next scheduled article goes public


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("page", PAGES)
def test_public_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries, page, size):
    """Rendered (cold cache) in a fixed number of queries, then served from the cache in none."""
    question = make_public_questions(size)
    url = PAGES[page](question)

    with django_assert_num_queries(QUERIES[page] + STORING):
        response = client.get(url)
    with django_assert_num_queries(0):
        cached = client.get(url)

    assert response.status_code == cached.status_code == 200
    assert cached.content == response.content


def test_the_coach_exports_everything_about_an_email_and_erases_it(client):
    asker = "anna@example.net"
    QuestionFactory(email=asker, body="My private case.")
    CommentFactory(email="Anna@Example.net", body="My comment.")
    reader = UserFactory(email=asker)
    CommentFactory(user=reader, email="", body="From my account.")
    client.force_login(coach())
    url = reverse("admin:questions_privacy")

    exported = json.loads(client.post(url, {"email": asker, "action": "export"}).content)
    client.post(url, {"email": asker, "action": "erase"})  # without the confirmation
    assert Question.objects.exists()
    client.post(url, {"email": asker, "action": "erase", "confirm": "on"})

    assert exported["questions"][0]["case"] == "My private case."
    assert {c["body"] for c in exported["comments"]} == {"My comment.", "From my account."}
    assert exported["accounts"][0]["email"] == asker
    assert not Question.objects.exists()
    assert not Comment.objects.filter(body__in=["My comment.", "From my account."]).exists()
    assert not type(reader).objects.filter(pk=reader.pk).exists()


def test_erasing_an_address_deletes_the_emails_kept_for_it(client):
    """Emails stay a few days after delivery, and carry private links."""
    outbox.send(EmailMessage("Your answer", "A link", to=["Anna@Example.net"]), key="a")
    outbox.send(EmailMessage("Hello", "Text", to=["tom@example.net"]), key="b")
    client.force_login(coach())

    client.post(
        reverse("admin:questions_privacy"),
        {"email": "anna@example.net", "action": "erase", "confirm": "on"},
    )

    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["tom@example.net"]


def test_unanswered_and_declined_questions_past_the_retention_period_are_purged(settings):
    settings.QUESTIONS_RETENTION_DAYS = 90
    old = timezone.now() - timedelta(days=100)
    QuestionFactory(created_at=old, title="Old unanswered")
    QuestionFactory(created_at=old, status="declined", title="Old declined")
    kept_answered = QuestionFactory(created_at=old, public=True)
    kept_recent = QuestionFactory(title="Recent unanswered")
    out = StringIO()

    call_command("questions", "purge", "--dry-run", stdout=out)
    assert Question.objects.count() == 4
    call_command("questions", "purge", stdout=out)

    assert set(Question.objects.values_list("pk", flat=True)) == {kept_answered.pk, kept_recent.pk}
    assert "would delete 2" in out.getvalue() and "deleted 2" in out.getvalue()
