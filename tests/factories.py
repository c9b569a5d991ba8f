"""Builders for test data (factory_boy)."""

from datetime import timedelta

import factory
from django.utils import timezone

from painrelief.accounts import services
from painrelief.accounts.models import User
from painrelief.accounts.roles import Role

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A reader; pass role=Role.COACH or Role.MODERATOR for staff. Password: PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    display_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)
    email_confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def role(user, create, role, **kwargs):
        if create and role:
            services.grant_role(user=user, role=role)


def coach(**kwargs) -> User:
    return UserFactory(role=Role.COACH, display_name="Coach Elena", **kwargs)


def moderator(**kwargs) -> User:
    return UserFactory(role=Role.MODERATOR, **kwargs)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "articles.Category"

    name = factory.Sequence(lambda n: f"Category {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "articles.Tag"

    name = factory.Sequence(lambda n: f"tag {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article (publish date in the past) by a coach, with a Markdown body."""

    class Meta:
        model = "articles.Article"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"How to release knot number {n}")
    author = factory.LazyFunction(lambda: coach())
    category = factory.SubFactory(CategoryFactory)
    body = "## Why it hurts\n\nA knot between the shoulder blade and the spine.\n\n- Heat\n- Rest\n"
    status = "published"
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    @factory.post_generation
    def tags(article, create, tags, **kwargs):
        if create and tags:
            article.tags.set(tags)


class CommentFactory(factory.django.DjangoModelFactory):
    """An approved guest comment on a published article; pass parent= for a reply."""

    class Meta:
        model = "comments.Comment"

    parent = None
    target = factory.Maybe(
        "parent", factory.SelfAttribute("parent.target"), factory.SubFactory(ArticleFactory)
    )
    name = factory.Faker("first_name")
    email = factory.Sequence(lambda n: f"guest{n}@example.net")
    body = "The knot under my shoulder blade eased after a week of heat and pressure."
    status = "approved"

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is not None:
            kwargs.update(
                parent=parent,
                thread_id=parent.thread_id or parent.pk,
                depth=parent.depth + 1,
                replied_to=kwargs.get("replied_to", parent),
            )
        if kwargs.get("status") == "approved":
            kwargs.setdefault("approved_at", timezone.now())
        return super()._create(model_class, *args, **kwargs)


class QuestionFactory(factory.django.DjangoModelFactory):
    """A new question from a guest; `public=True` makes it answered, agreed and approved."""

    class Meta:
        model = "questions.Question"
        skip_postgeneration_save = True

    class Params:
        public = factory.Trait(
            status="answered",
            answer="## What to try first\n\nHeat, then gentle movement.",
            answer_published_at=factory.LazyFunction(timezone.now),
            publication="anonymous",
            public_title=factory.LazyAttribute(lambda q: f"Public: {q.title}"),
            public_body="A reader's neck has been stiff for weeks.",
            consent="approved",
            consent_text=factory.LazyAttribute(
                lambda q: f"{q.public_title}\n\n{q.public_body}\n\n{q.answer}"
            ),
            published_at=factory.LazyFunction(timezone.now),
        )

    title = factory.Sequence(lambda n: f"Stiff neck number {n}")
    body = "My neck has been stiff for three weeks, worse in the morning, better with heat."
    name = "Anna Example"
    email = factory.Sequence(lambda n: f"asker{n}@example.net")
    publication = "private"

    @factory.post_generation
    def areas(question, create, slugs, **kwargs):
        if create and slugs:
            from questions.models import BodyArea

            question.body_areas.set(BodyArea.objects.filter(slug__in=slugs))


class CommentReportFactory(factory.django.DjangoModelFactory):
    """A guest's open report of an approved comment (pass user= for a signed-in reader's)."""

    class Meta:
        model = "comments.CommentReport"

    comment = factory.SubFactory(CommentFactory)
    reason = "spam"
    guest_key = factory.Maybe("user", "", factory.Sequence(lambda n: f"guest-key-{n}"))
    user = None
