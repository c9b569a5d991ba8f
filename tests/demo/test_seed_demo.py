from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Category, Resource, Tag
from painrelief.accounts.models import User
from painrelief.comments.models import Comment
from painrelief.demo import articles, comments, users

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
    assert coach.is_coach and coach.is_staff and coach.check_password(users.COACH.password)
    assert moderator.is_moderator and not moderator.is_coach and moderator.is_staff
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


def test_options_not_yet_honoured_say_so():
    output = seed("--articles", "0", "--comments-per-article", "3", "--questions", "5")

    assert "--questions=5: the questions app has no demo content yet" in output
    assert output.count("no demo content yet") == 1


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
