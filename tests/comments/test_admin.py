"""The admin: moderators moderate, the coach also answers; nobody else gets in."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from painrelief.comments import services
from painrelief.comments.models import Comment
from painrelief.spam.models import Decision
from tests.factories import ArticleFactory, CommentFactory, UserFactory, coach, moderator

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


def change_url(comment):
    return reverse("admin:comments_comment_change", args=[comment.pk])


def form_data(comment, **changes):
    data = {
        "status": comment.status,
        "body": comment.body,
        "name": comment.name,
        "email": comment.email,
        "website": comment.website,
    }
    if comment.notify_replies:
        data["notify_replies"] = "on"
    return {**data, **changes}


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("reader", 302), ("moderator", 200), ("coach", 200)],
)
def test_the_comment_list_is_for_moderators_and_the_coach(client, role, status):
    user = {"reader": UserFactory, "moderator": moderator, "coach": coach}.get(role)
    if user:
        client.force_login(user())
    CommentFactory(status="pending")

    assert client.get(CHANGELIST).status_code == status


def test_the_status_filter_shows_the_counts_of_waiting_work(client):
    CommentFactory.create_batch(2, status="pending")
    CommentFactory(status="spam")
    client.force_login(moderator())

    html = client.get(CHANGELIST).text

    assert "Awaiting moderation (2)" in html and "Spam (1)" in html


def test_a_moderator_approves_a_selection_and_held_guests_are_told(
    client, django_capture_on_commit_callbacks
):
    held = CommentFactory.create_batch(3, status="pending", approved_at=None)
    client.force_login(moderator())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {"action": "approve", "_selected_action": [c.pk for c in held[:2]]},
            follow=True,
        )

    assert "2 approved." in response.text
    assert list(Comment.objects.filter(status="approved").order_by("pk")) == held[:2]
    assert sorted(m.to[0] for m in mail.outbox if "is published" in m.subject) == sorted(
        c.email for c in held[:2]
    )


@pytest.mark.parametrize(
    ("action", "status"), [("mark_spam", "spam"), ("remove", "removed"), ("hold", "pending")]
)
def test_a_moderator_hides_comments_from_the_list(client, action, status):
    comment = CommentFactory()
    client.force_login(moderator())

    client.post(CHANGELIST, {"action": action, "_selected_action": [comment.pk]})

    comment.refresh_from_db()
    assert comment.status == status
    assert comment.body not in client.get(comment.target.get_absolute_url()).text


def test_the_coach_answers_a_held_comment_from_the_admin(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    held = CommentFactory(
        target=article,
        status="pending",
        approved_at=None,
        notify_replies=True,
        email="maria@example.net",
        body="Which pillow helps a stiff neck?",
    )
    writer = coach()
    client.force_login(writer)

    page = client.get(change_url(held)).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(held), form_data(held, answer="A low, firm pillow.\n\nAnd heat.")
        )

    assert "Answer this comment" in page
    assert response.status_code == 302
    held.refresh_from_db()
    reply = Comment.objects.get(parent=held)
    assert held.status == reply.status == Comment.Status.APPROVED
    assert reply.user == writer
    assert reply.body_html == "<p>A low, firm pillow.</p>\n\n<p>And heat.</p>"
    subjects = sorted(m.subject for m in mail.outbox if m.to == ["maria@example.net"])
    assert any("is published" in s for s in subjects)
    assert any("replied to your comment" in s for s in subjects)
    public = client.get(article.get_absolute_url()).text
    assert "A low, firm pillow." in public and "coach-badge" in public


def test_a_moderator_has_no_answer_field_and_cannot_post_one(client):
    comment = CommentFactory()
    client.force_login(moderator())

    page = client.get(change_url(comment)).text
    client.post(change_url(comment), form_data(comment, answer="Sneaky answer."))

    assert "Answer this comment" not in page
    assert not Comment.objects.filter(parent=comment).exists()


def test_staff_corrections_mark_the_comment_edited(client):
    comment = CommentFactory(body="Teh typo.")
    client.force_login(moderator())

    client.post(change_url(comment), form_data(comment, body="The typo, fixed."))

    comment.refresh_from_db()
    assert comment.body_html == "<p>The typo, fixed.</p>" and comment.edited_at is not None


def test_approving_through_the_status_field_sends_the_approval_once(
    client, django_capture_on_commit_callbacks
):
    held = CommentFactory(status="pending", approved_at=None, email="maria@example.net")
    client.force_login(moderator())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(held), form_data(held, status="approved"))
        client.post(change_url(held), form_data(held, status="approved", body="Again."))

    assert [m.to for m in mail.outbox] == [["maria@example.net"]]


def test_the_coach_answering_on_a_page_that_is_not_public_is_told_and_nothing_changes(client):
    held = CommentFactory(
        target=ArticleFactory(status="draft", published_at=None), status="pending", approved_at=None
    )
    client.force_login(coach())

    response = client.post(
        change_url(held), form_data(held, status="approved", body="Edited.", answer="An answer.")
    )

    assert response.status_code == 200
    assert "nobody would read an answer there" in response.text
    held.refresh_from_db()
    assert (held.status, held.body, held.edited_at) == ("pending", held.body, None)
    assert not Comment.objects.filter(parent=held).exists()


def decisions():
    return list(Decision.objects.values_list("moderator", "from_status", "to_status"))


def test_a_moderators_edit_saves_the_text_approves_records_and_tells_the_guest_once(
    django_capture_on_commit_callbacks,
):
    held = CommentFactory(
        status="pending", approved_at=None, body="Teh typo.", email="maria@example.net"
    )
    who = moderator()
    held.body, held.status = "The typo, fixed.", "approved"  # as the admin form leaves it

    with django_capture_on_commit_callbacks(execute=True):
        answer = services.save_moderator_edit(
            comment=held, changed_fields=["body", "status"], new_status="approved", moderator=who
        )

    stored = Comment.objects.get(pk=held.pk)
    assert answer is None
    assert (stored.status, stored.body_html) == ("approved", "<p>The typo, fixed.</p>")
    assert stored.edited_at is not None and stored.approved_at is not None
    assert decisions() == [(who.pk, "pending", "approved")]
    assert [m.to for m in mail.outbox] == [["maria@example.net"]]


def test_the_coachs_answer_approves_the_comment_in_one_decision_and_is_published(
    django_capture_on_commit_callbacks,
):
    held = CommentFactory(
        status="pending", approved_at=None, notify_replies=True, email="maria@example.net"
    )
    writer = coach()

    with django_capture_on_commit_callbacks(execute=True):
        answer = services.save_moderator_edit(
            comment=held,
            changed_fields=["answer"],
            new_status="pending",
            answer="Heat first, then gentle movement.",
            moderator=writer,
        )

    assert (answer.parent, answer.user, answer.status) == (held, writer, "approved")
    assert held.status == "approved"
    assert decisions() == [(writer.pk, "pending", "approved")]
    subjects = sorted(m.subject for m in mail.outbox if m.to == ["maria@example.net"])
    assert len(subjects) == 2
    assert "is published" in subjects[1] and "replied to your comment" in subjects[0]


@pytest.mark.parametrize("refusal", ["permission_denied", "not_public"])
def test_a_refused_answer_saves_nothing(refusal):
    public = refusal != "not_public"
    article = ArticleFactory() if public else ArticleFactory(status="draft", published_at=None)
    comment = CommentFactory(target=article, status="pending", approved_at=None, body="Mine.")
    comment.body, comment.status = "Changed.", "approved"

    with pytest.raises(ValidationError) as refused:
        services.save_moderator_edit(
            comment=comment,
            changed_fields=["body", "status", "answer"],
            new_status="approved",
            answer="An answer.",
            moderator=moderator() if refusal == "permission_denied" else coach(),
        )

    assert refused.value.code == refusal
    stored = Comment.objects.get()
    assert (stored.body, stored.status, stored.edited_at) == ("Mine.", "pending", None)
    assert not Decision.objects.exists()


def test_the_list_links_each_comment_to_where_a_moderator_finds_it_on_the_site(client):
    """A published comment by its permalink; a held one (whose permalink is its author's
    alone) by its page."""
    article = ArticleFactory(title="Linked")
    published = CommentFactory(target=article)
    held = CommentFactory(target=article, status="pending")
    client.force_login(moderator())

    html = client.get(CHANGELIST).text

    assert f'<a href="{published.get_absolute_url()}">Linked</a>' in html
    assert f'<a href="{article.get_absolute_url()}">Linked</a>' in html
    assert held.get_absolute_url() not in html
    assert client.get(published.get_absolute_url()).status_code == 302


def test_moderators_cannot_add_comments_or_touch_articles_from_the_admin(client):
    article = ArticleFactory()
    client.force_login(moderator())

    assert client.get(reverse("admin:comments_comment_add")).status_code == 403
    assert (
        client.get(reverse("admin:articles_article_change", args=[article.pk])).status_code == 403
    )


def test_staff_see_a_moderate_link_on_the_site_and_readers_do_not(client):
    comment = CommentFactory()
    url = comment.target.get_absolute_url()

    as_reader = client.get(url).text
    client.force_login(moderator())
    as_moderator = client.get(url).text

    assert change_url(comment) not in as_reader
    assert change_url(comment) in as_moderator


def test_the_article_list_shows_comment_counts_and_links_to_the_waiting_ones(client):
    article = ArticleFactory(title="Counted")
    CommentFactory.create_batch(3, target=article)
    held = CommentFactory(target=article, status="pending")
    CommentFactory(target=article, status="spam")
    client.force_login(coach())

    html = client.get(reverse("admin:articles_article_changelist")).text
    waiting = client.get(
        reverse("admin:comments_comment_changelist"),
        {"object_id": article.pk, "status__exact": "pending"},
    ).text

    assert "3 <a href=" in html and "(1 waiting)</a>" in html
    assert change_url(held) in waiting


@pytest.mark.parametrize("count", [3, 30])
def test_the_comment_list_runs_a_fixed_number_of_queries(client, count, django_assert_num_queries):
    for article in ArticleFactory.create_batch(3):
        CommentFactory.create_batch(count // 3, target=article)
    client.force_login(moderator())
    client.get(CHANGELIST)  # warm the permission and content-type caches

    # session, user, permissions (user, groups), status counts, reported count, content
    # filter, total and filtered counts, the page, the articles and the open reports of the
    # page, date hierarchy (2)
    with django_assert_num_queries(14):
        response = client.get(CHANGELIST)

    assert response.status_code == 200


def test_author_history_counts_an_accounts_comments_and_a_guests_by_any_case_of_the_address():
    reader = UserFactory()
    mine = CommentFactory(user=reader, email="")
    CommentFactory(user=reader, email="", status="spam")
    guest = CommentFactory(email="Maria@Post.example")
    CommentFactory.create_batch(2, email="maria@post.example", status="spam")
    CommentFactory(user=UserFactory(), email="maria@post.example")  # an account: not the guest

    history = {
        c.pk: (c.author_approved, c.author_spam)
        for c in Comment.objects.with_author_history().filter(pk__in=[mine.pk, guest.pk])
    }

    assert history == {mine.pk: (1, 1), guest.pk: (1, 2)}


def test_bulk_selections_reach_the_same_authors_email_domains_and_ip_addresses():
    reader = UserFactory()
    by_reader = CommentFactory(user=reader, email="", ip_address="192.0.2.1")
    by_reader_too = CommentFactory(user=reader, email="")
    guest = CommentFactory(email="ann@shop.example", ip_address="192.0.2.2")
    guest_again = CommentFactory(email="ANN@shop.example")
    same_domain = CommentFactory(email="bob@Shop.example", ip_address="192.0.2.1")
    CommentFactory(email="carl@elsewhere.example", ip_address="198.51.100.9")
    selected = [by_reader, guest]

    def pks(queryset):
        return set(queryset.values_list("pk", flat=True))

    assert pks(Comment.objects.by_same_authors_as(selected)) == {
        by_reader.pk,
        by_reader_too.pk,
        guest.pk,
        guest_again.pk,
    }
    assert pks(Comment.objects.from_email_domains_of(selected)) == {
        guest.pk,
        guest_again.pk,
        same_domain.pk,
    }
    assert pks(Comment.objects.from_ip_addresses_of(selected)) == {
        by_reader.pk,
        guest.pk,
        same_domain.pk,
    }
