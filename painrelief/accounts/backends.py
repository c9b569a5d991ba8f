from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Sign-in by email (UserManager matches it case-insensitively).

    The signed-in user is loaded with its groups, so role checks cost no query per page.
    """

    def get_user(self, user_id):
        from .models import User

        user = User._default_manager.prefetch_related("groups").filter(pk=user_id).first()
        return user if user and self.user_can_authenticate(user) else None


def login_attempt_username(request, credentials) -> str | None:
    """The email a failed login is counted against (django-axes): case and spaces ignored.

    Without this, axes reads USERNAME_FIELD ("email") while login forms post "username",
    and typing the address in another case would escape the count.
    """
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return username.strip().lower() if username else None
