"""Writes with side effects: the coach's save and its revisions, hero pictures, the picture
library and slug history."""

from django.db import transaction
from django.utils import timezone

from .images import delete_renditions, make_renditions
from .models import Article, ArticleRedirect, Picture, Revision


def set_hero_image(*, article: Article, upload) -> None:
    """Make the renditions of a new hero picture; the old ones are deleted once this commits."""
    old = article.hero
    article.hero = make_renditions(upload)
    article.save(update_fields=["hero", "updated_at"])
    if old:
        transaction.on_commit(lambda: delete_renditions(old))


def remove_hero_image(*, article: Article) -> None:
    old = article.hero
    article.hero = {}
    article.save(update_fields=["hero", "updated_at"])
    if old:
        transaction.on_commit(lambda: delete_renditions(old))


def add_picture(*, upload, alt: str) -> Picture:
    """Store a picture for article bodies, with its renditions."""
    renditions = make_renditions(upload)
    return Picture.objects.create(alt=alt, folder=renditions["folder"], renditions=renditions)


def delete_pictures(*, pictures) -> None:
    """Delete pictures; their files go once the deletion is committed."""
    renditions = [picture.renditions for picture in pictures]
    Picture.objects.filter(pk__in=[picture.pk for picture in pictures]).delete()
    transaction.on_commit(lambda: [delete_renditions(r) for r in renditions])


def record_slug_change(*, article: Article, old_slug: str) -> None:
    """Keep a published article's old address working: it redirects to the new one."""
    if old_slug and old_slug != article.slug:
        ArticleRedirect.objects.filter(old_slug=article.slug).delete()
        ArticleRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": article})


def save_article(
    *,
    article: Article,
    by,
    old_slug: str | None = None,
    was_published: bool = False,
    hero_upload=None,
    remove_hero: bool = False,
) -> Revision:
    """The coach's save in the admin: the article, its old address, its hero, and a revision."""
    is_new = article.pk is None
    if not is_new and not article.revisions.kept().exists():
        _keep_the_state_before_revisions(article)
    article.save()
    if was_published and old_slug:
        record_slug_change(article=article, old_slug=old_slug)
    if hero_upload:
        set_hero_image(article=article, upload=hero_upload)
    elif remove_hero:
        remove_hero_image(article=article)
    if is_new:
        Revision.objects.autosaved_by(by).delete()  # the draft of this new article
    return keep_revision(article=article, by=by)


def keep_revision(
    *, article: Article, by, kind=Revision.Kind.SAVED, restored_from: Revision | None = None
) -> Revision:
    """Keep the article as it is now; the writer's autosaved draft of it is then obsolete."""
    Revision.objects.autosaved_by(by, article).delete()
    return Revision.objects.create(
        article=article,
        author=by,
        kind=kind,
        restored_from=restored_from,
        **{name: getattr(article, name) for name in Revision.FIELDS},
    )


def _keep_the_state_before_revisions(article: Article) -> None:
    """An article written before revisions existed (or outside the admin): its first save in
    the admin keeps how it was, so that nothing older is lost from its history."""
    stored = Article.objects.values("author", "updated_at", *Revision.FIELDS).get(pk=article.pk)
    Revision.objects.create(
        article=article,
        author_id=stored.pop("author"),
        created_at=stored.pop("updated_at"),
        **stored,
    )


def autosave(*, by, article: Article | None, title: str, summary: str, body: str) -> Revision:
    """Keep what the writer's editor holds, as their one draft of this article: nothing is
    published or changed on the article itself."""
    draft, _ = Revision.objects.update_or_create(
        kind=Revision.Kind.AUTOSAVE,
        author=by,
        article=article,
        defaults={
            "title": title,
            "summary": summary,
            "body": body,
            "status": article.status if article else "",
            "published_at": article.published_at if article else None,
            "created_at": timezone.now(),
        },
    )
    return draft


def restore_revision(*, revision: Revision, by) -> Revision:
    """Put a revision's title, summary and body back on its article, as a new revision."""
    article = revision.article
    for name in Revision.RESTORED_FIELDS:
        setattr(article, name, getattr(revision, name))
    article.save()
    return keep_revision(
        article=article, by=by, kind=Revision.Kind.RESTORED, restored_from=revision
    )
