from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    name = "painrelief.downloads"
    label = "downloads"
    verbose_name = "Downloads"

    def ready(self):
        from painrelief.pagecache import watch

        from .models import Resource

        watch(Resource)  # offered on article pages
