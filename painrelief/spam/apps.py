from django.apps import AppConfig


class SpamConfig(AppConfig):
    name = "painrelief.spam"
    label = "spam"
    verbose_name = "Spam defence"
