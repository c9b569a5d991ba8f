from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "painrelief.mail"
    label = "mail"
    verbose_name = "Outgoing email"
