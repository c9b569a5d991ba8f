from django.db.models import Max

from painrelief.sitemaps import SectionSitemap

from .models import Question


class QuestionSitemap(SectionSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return (
            Question.objects.public()
            .only("public_title", "public_key", "published_at")
            .order_by("-published_at", "pk")
        )

    def lastmod(self, question):
        return question.published_at

    def latest_change(self):
        return Question.objects.public().aggregate(latest=Max("published_at"))["latest"]
