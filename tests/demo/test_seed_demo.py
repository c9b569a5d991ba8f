from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, Category, Resource, Tag
from painrelief.accounts.models import User
from painrelief.demo import articles, users

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

    assert "--comments-per-article=3: the comments app has no demo content yet" in output
    assert "--questions=5: the questions app has no demo content yet" in output
    assert output.count("no demo content yet") == 2


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
