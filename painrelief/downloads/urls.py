# Mounted at /articles/downloads/: links in emails already sent carry these addresses.
from django.urls import path

from . import views

app_name = "downloads"

urlpatterns = [
    path("<int:pk>/", views.ResourceView.as_view(), name="resource"),
    path("link/<str:token>/", views.DownloadView.as_view(), name="download"),
    path("forget/<str:token>/", views.ForgetEmailView.as_view(), name="forget-email"),
]
