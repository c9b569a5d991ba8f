from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class PageSitemap(Sitemap):
    """The fixed pages: home and the lists readers start from."""

    changefreq = "daily"

    def items(self):
        return ["home", "articles:list", "questions:list"]

    def location(self, name):
        return reverse(name)
