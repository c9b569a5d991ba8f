from django.urls import path

from painrelief.pagecache import public_page

from . import views
from .feeds import LatestQuestionsFeed

app_name = "questions"

urlpatterns = [
    path("", public_page(views.QuestionListView.as_view()), name="list"),
    path("ask/", views.AskView.as_view(), name="ask"),
    path("sent/", views.sent, name="sent"),
    path("sent/<str:token>/", views.sent, name="sent"),
    path("mine/", views.MyQuestionsView.as_view(), name="mine"),
    path("private/<str:token>/", views.PrivateQuestionView.as_view(), name="private"),
    path("feed/", public_page(LatestQuestionsFeed()), name="feed"),
    path("<slug:slug>/", public_page(views.QuestionDetailView.as_view()), name="detail"),
]
