"""RSS of the newest approved comments on the site (articles/feeds.py has one per article). Names
as on the page, never an email address."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from .models import Comment

FEED_ITEMS = 20


class LatestCommentsFeed(Feed):
    """The newest comments readers can see anywhere on the site."""

    def title(self):
        return f"Comments · {settings.SITE_NAME}"

    def description(self):
        return f"The newest comments on {settings.SITE_NAME}."

    def link(self):
        return reverse("home")

    def items(self):
        return newest(Comment.objects.on_public_pages())

    def item_title(self, comment):
        return f"{comment.author_name} on “{comment.target}”"

    def item_description(self, comment):
        return comment.body_html

    def item_link(self, comment):
        return comment.get_absolute_url()

    def item_author_name(self, comment):
        return comment.author_name

    def item_pubdate(self, comment):
        return comment.created_at

    def item_updateddate(self, comment):
        return comment.edited_at or comment.created_at


def newest(comments):
    return (
        comments.select_related("user")
        .prefetch_related("target")
        .order_by("-created_at", "-pk")[:FEED_ITEMS]
    )
