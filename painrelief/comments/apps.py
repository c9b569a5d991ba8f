from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "painrelief.comments"
    label = "comments"
    verbose_name = "Comments"
