import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles.models import Article, Category, Tag
from painrelief.accounts.models import User
from painrelief.accounts.roles import Role
from painrelief.comments.models import Comment
from painrelief.demo import articles, comments, questions, users
from painrelief.downloads.models import Resource
from painrelief.markdown import render_markdown
from questions import services
from questions.models import BodyArea, Question, RedFlag, Snippet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_pictures(monkeypatch):
    """Hero renditions take a quarter of a second each: two pictures are enough to test."""
    monkeypatch.setattr(articles, "ILLUSTRATED", 2)


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_the_coach_the_moderator_and_readers_and_prints_their_logins():
    output = seed()

    coach = User.objects.get(email=users.COACH.email)
    moderator = User.objects.get(email=users.MODERATOR.email)
    assert coach.is_staff and coach.check_password(users.COACH.password)
    assert set(coach.groups.values_list("name", flat=True)) == {Role.COACH}
    assert moderator.is_staff
    assert set(moderator.groups.values_list("name", flat=True)) == {Role.MODERATOR}
    assert coach.has_perm("articles.change_article")
    assert not moderator.has_perm("articles.change_article")
    readers = User.objects.filter(is_staff=False)
    assert readers.count() == len(users.ACCOUNTS) - 2
    for login in (users.COACH, users.MODERATOR, users.READER):
        assert login.email in output and login.password in output


def test_running_seed_demo_twice_duplicates_nothing():
    seed()
    before = User.objects.count()

    output = seed("--articles", "3", "--questions", "2")

    assert User.objects.count() == before
    assert "0 created" in output


def test_articles_are_created_by_the_coach_in_a_category_tree_with_two_to_four_tags():
    output = seed("--articles", "14")

    assert "Articles: 14 created" in output
    assert Article.objects.count() == 14
    assert set(Article.objects.values_list("author__email", flat=True)) == {users.COACH.email}
    shoulder_blades = Category.objects.get(path="upper-back-pain/between-the-shoulder-blades")
    assert shoulder_blades.parent.name == "Upper back pain"
    assert Category.objects.get(path="neck-pain/tension-headaches").parent.name == "Neck pain"
    assert Tag.objects.count() == len(articles.TAGS)
    for article in Article.objects.prefetch_related("tags"):
        assert 2 <= len(article.tags.all()) <= 4, article.title
        assert "<h2" in article.body_html and article.excerpt and article.plain_text


def test_one_featured_article_one_draft_and_one_scheduled_for_the_coach_to_preview():
    seed("--articles", "14")

    assert Article.objects.filter(featured=True).count() == 1
    hidden = Article.objects.exclude(pk__in=Article.objects.published())
    assert sorted(article.status for article in hidden) == ["draft", "published"]
    scheduled = hidden.get(status="published")
    assert scheduled.is_scheduled
    assert Article.objects.published().count() == 12


def test_the_long_article_has_headings_lists_a_video_a_link_and_an_email_gated_download():
    seed("--articles", "2")

    article = Article.objects.get(featured=True)
    second = Article.objects.exclude(pk=article.pk).get()
    assert len(article.plain_text.split()) >= 1400
    assert "youtube-nocookie.com/embed/" in article.body_html
    assert "<h2" in article.body_html and "<h3" in article.body_html
    assert "<ul" in article.body_html and "<ol" in article.body_html
    assert "<blockquote" in article.body_html
    assert f'href="{second.get_absolute_url()}"' in article.body_html
    resource = article.resource
    assert resource.access == Resource.Access.EMAIL
    assert resource.file.storage.exists(resource.file.name)
    assert resource.file.open("rb").read(5) == b"%PDF-"


def test_another_article_offers_a_free_download():
    seed("--articles", "5")

    free = Resource.objects.get(access=Resource.Access.FREE)
    assert free.articles.count() == 1
    assert free.file.storage.exists(free.file.name)


def test_the_first_articles_have_hero_renditions_and_alt_text():
    seed("--articles", "2")

    heroes = [article for article in Article.objects.all() if article.hero]
    assert len(heroes) == 2
    for article in heroes:
        assert article.hero["webp"] and article.hero["jpeg"], article.title
        assert article.hero["width"] * 9 == article.hero["height"] * 16
        assert article.hero_alt.startswith("Illustration on a")
    assert heroes[0].hero_alt != heroes[1].hero_alt


def test_articles_past_the_illustrated_ones_are_rendered_and_tagged_without_pictures():
    seed("--articles", "30")

    plain = Article.objects.filter(hero={})
    assert plain.count() == 28
    assert not plain.filter(body_html="").exists()
    assert not plain.filter(plain_text="").exists()
    assert not plain.filter(tags=None).exists()
    assert Article.objects.filter(featured=True).count() == 1
    assert Article.objects.filter(resource__access=Resource.Access.FREE).exists()


def test_seeding_articles_twice_duplicates_nothing():
    seed("--articles", "5")
    counts = [
        model.objects.count() for model in (Article, Category, Tag, Resource, Article.tags.through)
    ]

    output = seed("--articles", "5")

    assert "Articles: 0 created, 5 already there" in output
    assert counts == [
        model.objects.count() for model in (Article, Category, Tag, Resource, Article.tags.through)
    ]


def test_asking_for_more_articles_later_adds_only_the_missing_ones():
    seed("--articles", "2")

    output = seed("--articles", "4")

    assert "Articles: 2 created, 2 already there" in output
    assert Article.objects.count() == 4


def test_no_articles_with_zero():
    seed("--articles", "0")

    assert not Article.objects.exists()


def test_each_published_article_gets_the_comments_asked_for():
    output = seed("--comments-per-article", "6")

    published = Article.objects.published()
    assert published.count() == 10
    assert "Comments: 60 created on 10 articles (0 already had theirs)." in output
    for article in published:
        assert article.comments.count() == 6, article.title
    assert not Comment.objects.exclude(object_id__in=published.values("pk")).exists()


def test_demo_comments_form_threads_with_replies_from_the_coach():
    seed("--comments-per-article", "12")

    replies = Comment.objects.exclude(parent=None)
    assert replies.exists()
    assert set(Comment.objects.values_list("depth", flat=True)) == {1, 2, 3, 4}
    assert not replies.exclude(replied_to=F("parent")).exists()
    assert not replies.exclude(depth=F("parent__depth") + 1).exists()
    assert not replies.filter(depth=2).exclude(thread=F("parent")).exists()
    assert not replies.filter(depth__gt=2).exclude(thread=F("parent__thread")).exists()
    coach_replies = replies.with_coach_flag().filter(by_coach=True)
    assert coach_replies.filter(depth=2).exists()
    assert set(coach_replies.values_list("user__email", flat=True)) == {users.COACH.email}
    assert not Comment.objects.filter(depth=1, user__email=users.COACH.email).exists()


def test_guests_and_demo_readers_both_comment():
    seed("--comments-per-article", "12")

    guests = Comment.objects.filter(user=None)
    assert guests.values("name").distinct().count() > 5
    assert not guests.exclude(email__endswith="@example.net").exists()
    assert guests.exclude(website="").exists() and guests.filter(website="").exists()
    reader_emails = {login.email for login, _, role in users.ACCOUNTS if role is None}
    assert (
        set(Comment.objects.filter(user__is_staff=False).values_list("user__email", flat=True))
        == reader_emails
    )


def test_demo_comments_are_approved_rendered_and_dated_after_what_they_answer():
    seed("--comments-per-article", "12")

    assert not Comment.objects.exclude(status=Comment.Status.APPROVED).exists()
    assert not Comment.objects.filter(approved_at=None).exists()
    assert not Comment.objects.filter(body_html="").exists()
    assert Comment.objects.filter(body_html__contains="<br>").exists()
    assert not Comment.objects.filter(created_at__lt=F("article__published_at")).exists()
    assert not Comment.objects.filter(created_at__lt=F("parent__created_at")).exists()


def test_the_article_page_shows_the_demo_threads(client):
    seed("--comments-per-article", "8")
    article = Article.objects.published().order_by("-published_at").first()

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert response.content.decode().count('class="comment depth-') == 8
    assert 'class="comment depth-2 by-coach"' in response.content.decode()


def test_seeding_comments_again_adds_nothing():
    seed("--comments-per-article", "5")

    output = seed("--comments-per-article", "9")

    assert "Comments: 0 created on 0 articles (10 already had theirs)." in output
    assert Comment.objects.count() == 50


def test_new_articles_get_comments_on_the_next_run():
    seed("--articles", "2", "--comments-per-article", "3")

    output = seed("--articles", "5", "--comments-per-article", "3")

    assert "Comments: 3 created on 1 articles (2 already had theirs)." in output
    assert Comment.objects.count() == 9


def test_no_comments_with_zero():
    output = seed("--comments-per-article", "0")

    assert "Comments: none asked for" in output
    assert not Comment.objects.exists()


def test_more_comments_take_no_more_insert_queries():
    """Comments are inserted a level of the threads at a time, whatever their number."""
    seed("--comments-per-article", "0")

    def inserts(per_article):
        Comment.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            seed("--comments-per-article", str(per_article))
        assert Comment.objects.count() == 10 * per_article
        sql = [query["sql"] for query in queries.captured_queries]
        into_comments = f'INSERT INTO "{Comment._meta.db_table}"'
        return (
            sum(query.startswith("INSERT") for query in sql),
            sum(query.startswith(into_comments) for query in sql),
        )

    few, many = inserts(5), inserts(50)
    assert few == many
    assert few[1] == comments.MAX_DEPTH  # one per level of the threads


def test_busy_articles_get_more_comments_the_oldest_first():
    output = seed(
        "--articles", "6", "--comments-per-article", "2",
        "--busy-articles", "1:9", "--busy-articles", "2:5",
    )  # fmt: skip

    counts = [article.comments.count() for article in Article.objects.published().order_by("pk")]
    assert counts == [9, 5, 5, 2]  # 6 articles: one draft, one scheduled
    assert "Comments: 21 created on 4 articles (0 already had theirs)." in output
    assert (
        Article.objects.published().order_by("pk").first().title == articles.FIRST_ARTICLES[0].title
    )


def test_busy_articles_alone_leave_the_others_without_comments():
    seed("--comments-per-article", "0", "--busy-articles", "2:3")

    counts = [article.comments.count() for article in Article.objects.published().order_by("pk")]
    assert counts == [3, 3] + [0] * 8


def test_busy_articles_must_be_two_numbers():
    for value in ("50", "a:b", "2:-1"):
        with pytest.raises(CommandError, match="busy-articles"):
            seed("--busy-articles", value)


def test_articles_sharing_a_body_share_one_rendering(monkeypatch):
    """A large demo renders each distinct body once and copies the HTML to the others."""
    renders = []
    render = Article.render
    monkeypatch.setattr(Article, "render", lambda self: renders.append(self.body) or render(self))

    seed("--articles", "200")

    distinct = Article.objects.values("body").distinct().count()
    assert distinct < 120
    # The illustrated articles are saved one by one, and save() renders.
    assert len(renders) <= distinct + articles.ILLUSTRATED
    for body, html in Article.objects.values_list("body", "body_html"):
        assert html == render_markdown(body).html


def test_demo_comments_sharing_a_text_share_one_rendering(monkeypatch):
    renders = []
    render = Comment.render
    monkeypatch.setattr(Comment, "render", lambda self: renders.append(self.body) or render(self))

    seed("--comments-per-article", "30")

    assert Comment.objects.count() == 300
    assert len(renders) == len(set(renders)) == Comment.objects.values("body").distinct().count()
    assert not Comment.objects.filter(body_html="").exists()


# --- Questions ------------------------------------------------------------------------------

HAND_WRITTEN = len(questions.CASES)


def test_eight_questions_show_every_state_of_the_coachs_desk():
    output = seed("--questions", "8")

    assert (
        "Questions: 8 created (0 already there): 1 public, 1 answered privately, 1 waiting for "
        "approval, 2 new (1 with red flags), 1 declined, 1 held, 1 spam." in output
    )
    assert set(Question.objects.values_list("status", flat=True)) == set(Question.Status)
    answered = Question.objects.filter(status=Question.Status.ANSWERED)
    assert Question.objects.public().count() == 1
    assert answered.filter(publication=Question.Publication.PRIVATE).count() == 1
    assert answered.filter(consent=Question.Consent.PENDING).count() == 1
    new = Question.objects.filter(status=Question.Status.NEW)
    assert sorted(new.values_list("has_red_flags", flat=True)) == [False, True]


def test_public_demo_questions_are_listed_and_their_pages_show_the_answer(client):
    seed("--questions", str(HAND_WRITTEN))
    public = list(Question.objects.public())
    assert len(public) == 5

    listing = client.get(reverse("questions:list"))

    for question in public:
        assert escape(question.public_title) in listing.content.decode()
        page = client.get(question.get_absolute_url())
        assert page.status_code == 200
        first_heading = re.search(r"<h2[^>]*>(.*?)</h2>", question.answer_html).group(1)
        assert first_heading in page.content.decode()
        assert escape(question.public_body.splitlines()[0][:60]) in page.content.decode()
        related = question.related_articles.all()
        assert 1 <= len(related) <= 2
        for article in related:
            assert f'href="{article.get_absolute_url()}"' in page.content.decode()


def test_public_demo_questions_have_an_approved_edited_copy_dated_after_the_answer():
    seed("--questions", "60")

    public = Question.objects.public()
    assert public.count() > 10
    for question in public:
        assert question.public_title and question.public_body != question.body
        assert question.consent_text == services.public_text_of(question)
        assert question.created_at < question.answer_published_at < question.published_at
        assert question.published_at <= timezone.now()
        assert question.publication in ("anonymous", "named")
        assert question.name not in question.public_body
        assert question.name not in question.answer


def test_answers_are_rendered_markdown_with_links_to_articles_and_the_nhs():
    seed("--questions", "40")

    answered = Question.objects.filter(status=Question.Status.ANSWERED)
    assert answered.count() > 15
    urls = {article.get_absolute_url() for article in Article.objects.published()}
    for question in answered:
        html = question.answer_html
        assert "<h2" in html and ("<ol>" in html or "<ul>" in html), question.title
        assert '<a href="https://www.nhs.uk/' in html
        assert bool(question.answer_text) == question.is_public  # the public search copy
        assert re.search(r"see (?:your|his|a|the) (?:GP|doctor)", question.answer, re.I)
        assert "article:" not in question.answer
        linked = set(re.findall(r'href="(/[^"]*)"', html))
        assert linked and linked <= urls, question.title
        assert question.answer_published_at > question.created_at


def test_answers_link_no_article_when_there_is_none():
    seed("--articles", "0", "--questions", "12")

    for question in [question for question in Question.objects.all() if question.answer]:
        assert "article:" not in question.answer
        assert not re.search(r'href="/', question.answer_html)
        assert not question.related_articles.exists()


def test_answers_link_only_demo_articles_that_exist():
    assert set(questions.ARTICLES.values()) <= {first.title for first in articles.FIRST_ARTICLES}


def test_red_flags_are_found_as_when_a_reader_asks_and_come_first_in_the_queue():
    seed("--questions", "80")

    for question in Question.objects.all():
        assert question.red_flags == services.red_flags_in(f"{question.title}\n{question.body}")
        assert question.has_red_flags == bool(question.red_flags)
    queue = list(Question.objects.filter(status="new"))  # the admin's order: Meta.ordering
    flagged = [question for question in queue if question.has_red_flags]
    assert len(flagged) >= 3 and len(queue) > len(flagged)
    assert queue[: len(flagged)] == flagged
    assert {"Chest pain with arm or jaw pain", "Loss of bladder or bowel control"} <= {
        flag for question in flagged for flag in question.red_flags
    }


def test_only_the_cases_meant_to_be_urgent_have_red_flags():
    urgent_sentences = [complaint.red_flag for complaint in questions.COMPLAINTS]
    urgent_hand_written = {"Lifted a washing machine", "Knot between my shoulder blades, and a"}

    for case in questions.cases(HAND_WRITTEN + 2 * questions.PAIRS):
        text = f"{case.title}\n{case.body}"
        meant = any(sentence in case.body for sentence in urgent_sentences) or any(
            case.title.startswith(start) for start in urgent_hand_written
        )
        assert bool(services.red_flags_in(text)) == meant, case.title


def test_declined_held_and_spam_questions_carry_what_the_coach_and_moderators_see():
    seed("--questions", "60")

    kind_decline = Snippet.objects.get(title="Kind decline").body
    for question in Question.objects.filter(status=Question.Status.DECLINED):
        assert question.decline_message == kind_decline
        assert question.created_at < question.declined_at <= timezone.now()
        assert not question.answer
    for status, verdict in (("held", "hold"), ("spam", "spam")):
        judged = Question.objects.filter(status=status)
        assert judged.count() >= 2
        assert set(judged.values_list("spam_verdict", flat=True)) == {verdict}
        assert not judged.filter(reasons=[]).exists()
    assert all(
        "https://" in body
        for body in Question.objects.filter(status="spam").values_list("body", flat=True)
    )


def test_demo_questions_have_body_areas_example_net_askers_and_past_dates():
    seed("--questions", "60")

    questions_with_areas = Question.objects.exclude(body_areas=None).distinct()
    assert questions_with_areas.count() == Question.objects.exclude(status="spam").count()
    assert set(BodyArea.objects.filter(questions__isnull=False).values_list("slug", flat=True)) >= {
        "head-and-jaw",
        "neck",
        "shoulder",
        "upper-back",
        "lower-back",
        "hip-and-leg",
    }
    guests = Question.objects.filter(user=None)
    emails = list(guests.values_list("email", flat=True))  # encrypted: compared in Python
    assert all(email.endswith("@example.net") for email in emails)
    assert len(set(emails)) > 30
    assert Question.objects.filter(on_behalf=True).count() >= 4
    dates = list(Question.objects.values_list("created_at", flat=True))
    assert max(dates) <= timezone.now() and (max(dates) - min(dates)).days > 30


def test_the_demo_reader_finds_their_questions_under_my_questions(client):
    seed("--questions", "8")
    reader = User.objects.get(email=users.READER.email)
    mine = Question.objects.filter(user=reader)
    assert mine.count() == 2
    assert set(mine.values_list("email", flat=True)) == {users.READER.email}

    client.force_login(reader)
    page = client.get(reverse("questions:mine")).content.decode()

    for question in mine:
        assert escape(question.title) in page


def test_seeding_questions_again_adds_nothing():
    seed("--questions", "30")
    tables = (Question, Question.body_areas.through, Question.related_articles.through)
    counts = [model.objects.count() for model in tables]

    output = seed("--questions", "30")

    assert "Questions: 0 created (30 already there)" in output
    assert counts == [model.objects.count() for model in tables]


def test_asking_for_more_questions_later_adds_only_the_missing_ones():
    seed("--questions", "8")

    output = seed("--questions", "25")

    assert "Questions: 17 created (8 already there)" in output
    assert Question.objects.count() == 25
    assert Question.objects.values("title").distinct().count() == 25


def test_no_questions_with_zero():
    output = seed("--questions", "0")

    assert "Questions: none asked for (--questions 0)." in output
    assert not Question.objects.exists()


def test_variations_have_distinct_titles_far_past_the_hand_written_cases():
    titles = [case.title for case in questions.cases(questions.DISTINCT_TITLES + 300)]

    assert len(set(titles)) == len(titles)
    assert all(len(title) <= 150 for title in titles)


def test_more_questions_take_no_more_insert_queries():
    """Questions, their body areas and related articles are bulk-inserted, whatever N is."""
    seed("--questions", "0")

    def inserts(count):
        Question.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            seed("--questions", str(count))
        assert Question.objects.count() == count
        sql = [query["sql"] for query in queries.captured_queries]
        into_questions = f'INSERT INTO "{Question._meta.db_table}'  # and its M2M tables
        return (
            sum(query.startswith("INSERT") for query in sql),
            sum(query.startswith(into_questions) for query in sql),
        )

    few, many = inserts(HAND_WRITTEN + 10), inserts(HAND_WRITTEN + 150)
    assert few == many
    assert few[1] == 3  # the questions, their body areas, their related articles


def test_questions_that_differ_only_by_their_number_share_an_answer():
    """Past the distinct titles, a case's answer is the one of the case it repeats."""
    repeated = questions.cases(HAND_WRITTEN + 3 * questions.DISTINCT_TITLES)[HAND_WRITTEN:]

    answers = {}
    for case in repeated:
        if case.answer:
            answers.setdefault(re.sub(r" \(\d+\)$", "", case.title), set()).add(case.answer)
    assert len(answers) > 100
    assert all(len(texts) == 1 for texts in answers.values())


def test_more_questions_load_the_red_flags_once():
    seed("--questions", "0")

    def red_flag_queries(count):
        Question.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            seed("--questions", str(count))
        table = f'"{RedFlag._meta.db_table}"'
        return sum(table in query["sql"] for query in queries.captured_queries)

    assert red_flag_queries(HAND_WRITTEN + 10) == red_flag_queries(HAND_WRITTEN + 150) == 1
