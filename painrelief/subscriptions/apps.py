from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "painrelief.subscriptions"
    label = "subscriptions"
    verbose_name = "Subscriptions"
