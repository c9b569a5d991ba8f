from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class SectionSitemap(Sitemap):
    """A section of the sitemap index, in pages of PAGE_SIZE addresses (WordPress uses 2,000;
    the protocol allows 50,000): each page stays small enough to send quickly, and the index's
    last-modified date of a section is one aggregate query, not a walk over its items."""

    limit = 1000

    def latest_change(self):
        return None

    def get_latest_lastmod(self):
        return self.latest_change()


class PageSitemap(SectionSitemap):
    """The fixed pages: home and the lists readers start from."""

    changefreq = "daily"

    def items(self):
        return ["home", "articles:list", "questions:list"]

    def location(self, name):
        return reverse(name)
