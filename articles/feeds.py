"""RSS and Atom feeds of the newest articles, for the whole site and for each category."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html

from painrelief.comments.feeds import LatestCommentsFeed, newest
from painrelief.comments.models import Comment
from painrelief.text import query_text

from .models import Article, Category

FEED_ITEMS = 20


class LatestArticlesFeed(Feed):
    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return settings.SITE_NAME

    def description(self):
        return "Articles about getting rid of muscle knots, back and neck pain naturally."

    def link(self):
        return reverse("articles:list")

    def items(self):
        return self.articles()[:FEED_ITEMS]

    def articles(self):
        return (
            Article.objects.published()
            .select_related("author", "category")
            .prefetch_related("tags")
        )

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        """The whole article, or its summary and a link, as the coach chose for it."""
        if article.feed_content == Article.FeedContent.FULL:
            return article.body_html
        return format_html(
            '<p>{}</p><p><a href="{}">Continue reading “{}”</a></p>',
            article.teaser,
            self.request.build_absolute_uri(article.get_absolute_url()),
            article.title,
        )

    def item_author_name(self, article):
        return article.author.display_name

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_categories(self, article):
        return [article.category.name, *(tag.name for tag in article.tags.all())]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class CategoryFeed(LatestArticlesFeed):
    """The newest articles of one category and its sub-categories."""

    def get_object(self, request, path):
        return get_object_or_404(Category, path=query_text(path))

    def title(self, category):
        return f"{category.name} · {settings.SITE_NAME}"

    def description(self, category):
        return category.description or f"Articles in {category.name}."

    def link(self, category):
        return category.get_absolute_url()

    def items(self, category):
        return self.articles().in_category(category)[:FEED_ITEMS]


class CategoryAtomFeed(CategoryFeed):
    feed_type = Atom1Feed
    subtitle = CategoryFeed.description


class ArticleCommentsFeed(LatestCommentsFeed):
    """The newest comments on one published article."""

    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.published(), slug=query_text(slug))

    def title(self, article):
        return f"Comments on “{article.title}” · {settings.SITE_NAME}"

    def description(self, article):
        return f"The newest comments on “{article.title}”."

    def link(self, article):
        return article.get_absolute_url()

    def items(self, article):
        return newest(Comment.objects.approved().for_target(article))
