from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Sign-in by email (UserManager matches it case-insensitively)."""


def login_attempt_username(request, credentials) -> str | None:
    """The email a failed login is counted against (django-axes): case and spaces ignored.

    Without this, axes reads USERNAME_FIELD ("email") while login forms post "username",
    and typing the address in another case would escape the count.
    """
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return username.strip().lower() if username else None
