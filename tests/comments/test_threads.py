"""Reading comments: nesting, counts, who sees what, order, pages, permalinks, query counts."""

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrelief.comments import threads
from painrelief.comments.links import manage_token
from painrelief.comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory, coach

from .conftest import GUEST

pytestmark = pytest.mark.django_db


def comment_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li id="comment-(\d+)"', html)]


def test_replies_nest_under_their_parents_and_the_count_counts_approved_comments(client, article):
    top = CommentFactory(target=article, name="Anna", body="Top-level knot story.")
    reply = CommentFactory(parent=top, name="Ben", body="A reply to Anna.")
    CommentFactory(parent=reply, name="Cara", body="A reply to Ben.")
    CommentFactory(target=article, status="pending", body="Held comment.")
    CommentFactory(target=article, status="spam", body="Buy pills.")

    html = client.get(article.get_absolute_url()).text

    assert "3 thoughts on “Knots between the shoulder blades”" in html
    nested = re.search(
        rf'id="comment-{top.pk}".*<ol class="children.*id="comment-{reply.pk}"'
        rf'.*<ol class="children.*A reply to Ben\.',
        html,
        re.S,
    )
    assert nested
    assert "Held comment." not in html and "Buy pills." not in html


def test_one_approved_comment_reads_one_thought(client, article):
    CommentFactory(target=article)

    assert (
        "One thought on “Knots between the shoulder blades”"
        in client.get(article.get_absolute_url()).text
    )


def test_an_article_without_comments_invites_the_first(client, article):
    html = client.get(article.get_absolute_url()).text

    assert "thoughts on" not in html and "One thought" not in html
    assert "Leave a Reply" in html


def test_the_author_of_a_held_comment_sees_it_marked_and_nobody_else_does(
    client, article, post_comment
):
    post_comment(article, **GUEST)
    held = Comment.objects.get()

    own_view = client.get(article.get_absolute_url()).text
    other_view = Client().get(article.get_absolute_url()).text

    assert held.pk in comment_ids(own_view)
    assert "Your comment is awaiting moderation." in own_view
    assert held.pk not in comment_ids(other_view)
    assert GUEST["body"] not in other_view and "awaiting moderation" not in other_view


def test_a_forged_own_comments_cookie_reveals_nothing(client, article):
    held = CommentFactory(target=article, status="pending", body="Someone else's held text.")
    client.cookies["own_comments"] = str(held.pk)

    html = client.get(article.get_absolute_url()).text

    assert "Someone else&#x27;s held text." not in html and held.pk not in comment_ids(html)


def test_a_signed_in_reader_sees_their_own_held_comment_on_any_browser(client, article):
    reader = UserFactory()
    CommentFactory(target=article, user=reader, status="pending", body="My held comment.")
    client.force_login(reader)

    assert "My held comment." in client.get(article.get_absolute_url()).text


def test_a_visitor_may_read_approved_comments_and_their_own_held_ones(article):
    reader = UserFactory()
    approved = CommentFactory(target=article)
    CommentFactory(target=article, status="pending")
    CommentFactory(target=article, status="spam")
    CommentFactory(target=article, user=reader, status="removed")
    own = [CommentFactory(target=article, user=reader, status=s) for s in ("pending", "spam")]
    guest_ids = [CommentFactory(target=article, status=s).pk for s in ("pending", "spam")]
    signed_in_elsewhere = CommentFactory(target=article, user=UserFactory(), status="pending")

    def visible(user, ids):
        return set(Comment.objects.visible_to(user, ids).values_list("pk", flat=True))

    assert set(Comment.objects.approved().values_list("pk", flat=True)) == {approved.pk}
    assert visible(AnonymousUser(), []) == {approved.pk}
    assert visible(reader, []) == {approved.pk, *(c.pk for c in own)}
    assert visible(AnonymousUser(), guest_ids) == {approved.pk, *guest_ids}
    # the cookie lists guests' comments only: an account's comment is not claimed by its pk
    assert visible(AnonymousUser(), [signed_in_elsewhere.pk]) == {approved.pk}


def test_a_removed_comment_with_replies_keeps_its_place_and_one_without_disappears(client, article):
    removed = CommentFactory(target=article, status="removed", body="Rude words.")
    reply = CommentFactory(parent=removed, body="A kind answer.")
    lonely = CommentFactory(target=article, status="removed", body="Removed alone.")
    spam_parent = CommentFactory(target=article, status="spam", body="Spam parent.")
    CommentFactory(parent=spam_parent, body="An answer to spam, approved earlier.")

    html = client.get(article.get_absolute_url()).text

    assert html.count("This comment was removed.") == 2
    assert "Rude words." not in html and "Spam parent." not in html
    assert "A kind answer." in html and reply.pk in comment_ids(html)
    assert lonely.pk not in comment_ids(html)


def test_the_coach_is_marked_with_a_badge(client, article):
    CommentFactory(target=article, user=coach(), name="Coach Elena", body="Try heat first.")
    CommentFactory(target=article, name="Coach Elena Fan", body="Guest text.")

    html = client.get(article.get_absolute_url()).text

    assert html.count('class="badge text-bg-success coach-badge"') == 1
    assert html.count("by-coach") == 1


def test_threads_are_oldest_first_by_default_and_newest_first_when_set(client, article, settings):
    now = timezone.now()
    old = CommentFactory(target=article, created_at=now - timedelta(days=2))
    new = CommentFactory(target=article, created_at=now - timedelta(days=1))

    oldest_first = comment_ids(client.get(article.get_absolute_url()).text)
    settings.COMMENTS_NEWEST_FIRST = True
    newest_first = comment_ids(client.get(article.get_absolute_url()).text)

    assert oldest_first == [old.pk, new.pk]
    assert newest_first == [new.pk, old.pk]


def test_threads_are_paginated_and_a_permalink_finds_its_page(client, article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 3
    now = timezone.now()
    tops = [
        CommentFactory(target=article, created_at=now - timedelta(hours=10 - n)) for n in range(7)
    ]
    deep_reply = CommentFactory(parent=tops[4])

    first = client.get(article.get_absolute_url()).text
    second = client.get(article.get_absolute_url(), {"cpage": 2}).text
    permalink = client.get(deep_reply.get_absolute_url())

    assert comment_ids(first) == [t.pk for t in tops[:3]]
    assert comment_ids(second) == [tops[3].pk, tops[4].pk, deep_reply.pk, tops[5].pk]
    assert 'href="?cpage=3#comments"' in first
    assert permalink.status_code == 302
    assert permalink.url == f"{article.get_absolute_url()}?cpage=2#comment-{deep_reply.pk}"
    for bad in ("abc", "-1", "99"):
        assert client.get(article.get_absolute_url(), {"cpage": bad}).status_code == 200


def pager_links(html: str) -> list[tuple[str, str | None]]:
    """The comment pager's items in order: (label, the ?cpage= it links to, or None)."""
    nav = re.search(r'<nav class="comment-pages.*?</nav>', html, re.S).group(0)
    items = re.findall(r'<li class="page-item[^"]*">\s*(<a [^>]*>|<span [^>]*>)(.*?)</', nav, re.S)
    return [
        (label.strip(), (re.search(r'href="\?cpage=(\d+)#comments"', tag) or [None, None])[1])
        for tag, label in items
    ]


@pytest.mark.parametrize(
    ("cpage", "expected"),
    [
        (1, [("1", None), ("2", "2"), ("3", "3"), ("…", None), ("65", "65"), ("Next →", "2")]),
        (
            33,
            [
                ("← Previous", "32"),
                ("1", "1"),
                ("…", None),
                *[(str(n), str(n)) for n in (31, 32)],
                ("33", None),
                *[(str(n), str(n)) for n in (34, 35)],
                ("…", None),
                ("65", "65"),
                ("Next →", "34"),
            ],
        ),
        (
            65,
            [
                ("← Previous", "64"),
                ("1", "1"),
                ("…", None),
                ("63", "63"),
                ("64", "64"),
                ("65", None),
            ],
        ),
    ],
)
def test_the_pager_links_the_first_the_last_and_pages_around_this_one(
    client, article, settings, cpage, expected
):
    """65 pages of comments: a row of at most eleven links, not 65."""
    settings.COMMENTS_THREADS_PER_PAGE = 1
    Comment.objects.bulk_create(CommentFactory.build(target=article) for _ in range(65))

    html = client.get(article.get_absolute_url(), {"cpage": cpage}).text

    assert pager_links(html) == expected
    assert f'<span class="page-link" aria-current="page">{cpage}</span>' in html


def test_the_permalink_of_a_comment_on_an_unpublished_article_or_of_none_is_not_found(client):
    draft = ArticleFactory(status="draft", published_at=None)
    on_draft = CommentFactory(target=draft)

    assert client.get(on_draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("comments:permalink", args=[987654])).status_code == 404


@pytest.mark.parametrize(
    ("status", "visitor", "found"),
    [
        ("approved", "a stranger", True),
        ("pending", "a stranger", False),
        ("spam", "a stranger", False),
        ("removed", "a stranger", False),
        ("pending", "its signed-in author", True),
        ("pending", "its guest author", True),
        ("spam", "its guest author", True),  # no hint for spammers
        ("removed", "its signed-in author", False),
    ],
)
def test_the_permalink_of_a_hidden_comment_is_found_by_its_author_only(
    client, article, status, visitor, found
):
    author = UserFactory() if visitor == "its signed-in author" else None
    comment = CommentFactory(target=article, status=status, user=author)
    if author:
        client.force_login(author)
    if visitor == "its guest author":  # the link in their email remembers it on this browser
        client.get(reverse("comments:manage", args=[manage_token(comment)]))

    response = client.get(comment.get_absolute_url())

    if found:
        assert response.status_code == 302
        assert response.url == f"{article.get_absolute_url()}#comment-{comment.pk}"
    else:
        assert response.status_code == 404


def test_reply_without_javascript_opens_the_form_for_that_comment(client, article):
    top = CommentFactory(target=article, name="Anna")

    html = client.get(article.get_absolute_url(), {"replytocom": top.pk}).text

    assert "Reply to Anna" in html
    assert f'name="parent" value="{top.pk}"' in html


def test_replytocom_naming_a_held_comment_is_ignored(client, article):
    held = CommentFactory(target=article, status="pending", name="Hidden")

    html = client.get(article.get_absolute_url(), {"replytocom": held.pk}).text

    assert "Reply to Hidden" not in html and f'value="{held.pk}"' not in html


@pytest.mark.parametrize("value", ["²", "¹²", "abc", "-1", "1e3", "99999999999999999999999"])
def test_replytocom_that_names_no_comment_is_ignored(client, article, value):
    CommentFactory(target=article, name="Anna")

    response = client.get(article.get_absolute_url(), {"replytocom": value})

    assert response.status_code == 200
    assert 'name="parent" value=' not in response.text


def test_a_reply_to_a_reply_at_full_depth_says_whom_it_answers(client, article, settings):
    settings.COMMENTS_MAX_DEPTH = 2
    top = CommentFactory(target=article, name="Anna")
    second = CommentFactory(parent=top, name="Ben")
    CommentFactory(parent=top, replied_to=second, name="Cara", body="Cara answers Ben.")

    html = client.get(article.get_absolute_url()).text

    assert "In reply to Ben" in html


def build_threads(article, total):
    """`total` approved comments in threads of five: a reader's comment, a guest's reply and
    the coach's reply to it, and two replies to the coach."""
    author = coach()
    readers = UserFactory.create_batch(3)
    for n in range(total // 5):
        top = CommentFactory(target=article, user=readers[n % 3])
        guest_reply = CommentFactory(parent=top)
        coach_reply = CommentFactory(parent=guest_reply, user=author)
        CommentFactory.create_batch(2, parent=coach_reply)


@pytest.mark.parametrize(("total", "shown"), [(5, 5), (500, 250)])
def test_an_article_page_runs_the_same_queries_with_5_or_500_comments(
    client, django_assert_num_queries, total, shown
):
    """500 comments are 100 threads: the first page shows 50 of them, 250 comments."""
    article = ArticleFactory()
    build_threads(article, total)
    CommentFactory(target=article, status="pending")
    CommentFactory(target=article, status="spam")

    # article, tags, breadcrumb, previous, next, related, then comments: approved count,
    # visible thread count, the comments of the page's threads (authors and coach flag joined)
    # + 1 as the page is stored: when the next scheduled article goes public
    with django_assert_num_queries(9 + 1):
        response = client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        assert client.get(article.get_absolute_url()).content == response.content

    assert f"{total} thoughts on" in response.text
    assert len(comment_ids(response.text)) == shown


def test_a_comment_judged_spam_looks_held_to_its_author_and_is_hidden_from_others(
    client, article, post_comment
):
    """No hint for spammers: their comment "awaits moderation" like anyone's."""
    post_comment(article, **{**GUEST, "homepage": "http://robot.example"})
    spam = Comment.objects.get()

    own_view = client.get(article.get_absolute_url()).text
    other_view = Client().get(article.get_absolute_url()).text

    assert spam.status == Comment.Status.SPAM
    assert "Your comment is awaiting moderation." in own_view and spam.pk in comment_ids(own_view)
    assert spam.pk not in comment_ids(other_view)


def test_reading_threads_depends_on_no_form_and_no_write():
    """The read path stays free of writes: threads.py imports neither forms nor services."""
    tree = ast.parse(Path(threads.__file__).read_text(encoding="utf-8"))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }

    assert not {name.rpartition(".")[2] for name in modules | names} & {"forms", "services"}
