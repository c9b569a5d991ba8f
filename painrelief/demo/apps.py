from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "painrelief.demo"
    label = "demo"
    verbose_name = "Demo content"
