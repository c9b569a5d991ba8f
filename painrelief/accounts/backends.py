from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Sign-in by email (UserManager matches it case-insensitively).

    The signed-in user is loaded with its groups, so role checks cost no query per page.
    """

    def get_user(self, user_id):
        from .models import User

        user = User._default_manager.prefetch_related("groups").filter(pk=user_id).first()
        return user if user and self.user_can_authenticate(user) else None
