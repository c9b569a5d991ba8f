from django.contrib.sitemaps import Sitemap

from .models import Question


class QuestionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Question.objects.public().only("public_title", "public_key", "published_at")

    def lastmod(self, question):
        return question.published_at
