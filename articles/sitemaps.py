from django.db.models import Max

from painrelief.sitemaps import SectionSitemap

from .models import Article, Category


class ArticleSitemap(SectionSitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-published_at")

    def lastmod(self, article):
        return article.updated_at

    def latest_change(self):
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class CategorySitemap(SectionSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return (
            Category.objects.filter(articles__in=Article.objects.published())
            .annotate(newest=Max("articles__updated_at"))
            .order_by("path")
        )

    def lastmod(self, category):
        return category.newest

    def latest_change(self):
        return ArticleSitemap().latest_change()
