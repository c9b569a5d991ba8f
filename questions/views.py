from django.views.generic import TemplateView


class QuestionListView(TemplateView):
    """The public Q&A; the questions issue fills it with answered, agreed questions."""

    template_name = "questions/question_list.html"


class AskView(TemplateView):
    """ "Ask the coach"; the questions issue puts the guided form here."""

    template_name = "questions/ask.html"
