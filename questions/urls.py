from django.urls import path

from . import views
from .feeds import LatestQuestionsFeed

app_name = "questions"

urlpatterns = [
    path("", views.QuestionListView.as_view(), name="list"),
    path("ask/", views.AskView.as_view(), name="ask"),
    path("sent/", views.sent, name="sent"),
    path("sent/<str:token>/", views.sent, name="sent"),
    path("mine/", views.MyQuestionsView.as_view(), name="mine"),
    path("private/<str:token>/", views.PrivateQuestionView.as_view(), name="private"),
    path("feed/", LatestQuestionsFeed(), name="feed"),
    path("<slug:slug>/", views.QuestionDetailView.as_view(), name="detail"),
]
