from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("<str:label>/<int:pk>/post/", views.PostCommentView.as_view(), name="post"),
    path("<str:label>/<int:pk>/form-state/", views.FormStateView.as_view(), name="form-state"),
    path("<int:pk>/", views.PermalinkView.as_view(), name="permalink"),
    path("<int:pk>/edit/", views.EditOwnCommentView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.DeleteOwnCommentView.as_view(), name="delete"),
    path("manage/<str:token>/", views.ManageCommentView.as_view(), name="manage"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
