"""Writes with side effects: hero pictures, the picture library and slug history."""

from django.db import transaction

from .images import delete_renditions, make_renditions
from .models import Article, ArticleRedirect, Picture


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
