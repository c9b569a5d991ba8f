from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "painrelief.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth import get_user_model

        from painrelief.pagecache import watch

        # Authors' names and avatars are on articles and comments; signing in, and the address
        # (shown on no page), change nothing; a new account is on no page yet (sign-ups by
        # robots empty no cache).
        watch(
            get_user_model(),
            new_rows=False,
            ignore_fields=["last_login", "email", "email_confirmed_at"],
        )
