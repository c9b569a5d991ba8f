"""RSS of the newest public questions and answers."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from .models import Question

FEED_ITEMS = 20


class LatestQuestionsFeed(Feed):
    def title(self):
        return f"{settings.SITE_NAME}: questions answered"

    def description(self):
        return "Readers' questions about muscle knots, back and neck pain, and the coach's answers."

    def link(self):
        return reverse("questions:list")

    def items(self):
        return (
            Question.objects.public()
            .defer("body", "internal_notes", "decline_message")
            .order_by("-published_at")[:FEED_ITEMS]
        )

    def item_title(self, question):
        return question.public_title

    def item_description(self, question):
        return question.answer_html

    def item_pubdate(self, question):
        return question.published_at
