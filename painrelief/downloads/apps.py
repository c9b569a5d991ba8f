from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    name = "painrelief.downloads"
    label = "downloads"
    verbose_name = "Downloads"
