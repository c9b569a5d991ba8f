from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "painrelief.accounts"
    label = "accounts"
    verbose_name = "Accounts"
