from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.SubscribeView.as_view(), name="subscribe"),
    path("confirm/<str:key>/", views.ConfirmView.as_view(), name="confirm"),
    path("manage/<str:key>/", views.ManageView.as_view(), name="manage"),
    path("unsubscribe/<str:key>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
