from django.urls import path

from painrelief.pagecache import public_page

from . import feeds, views

app_name = "comments"

urlpatterns = [
    path("<str:label>/<int:pk>/post/", views.PostCommentView.as_view(), name="post"),
    path("<str:label>/<int:pk>/form-state/", views.FormStateView.as_view(), name="form-state"),
    # For pages without comments: the token and stamp of their other forms.
    path("form-state/", views.FormStateView.as_view(), name="form-state-only"),
    path("feed/", public_page(feeds.LatestCommentsFeed()), name="feed"),
    path("<int:pk>/", views.PermalinkView.as_view(), name="permalink"),
    path("<int:pk>/edit/", views.EditOwnCommentView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.DeleteOwnCommentView.as_view(), name="delete"),
    path("<int:pk>/report/", views.ReportCommentView.as_view(), name="report"),
    path("manage/<str:token>/", views.ManageCommentView.as_view(), name="manage"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
