from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    """Users sign in with their email address; it is matched case-insensitively."""

    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        extra_fields.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: a reader, a moderator or the coach (see roles.Role)."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("Shown with your comments and questions. Your email address never is."),
    )
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)
    avatar_small = models.ImageField(_("small avatar"), upload_to="avatars/", blank=True)
    signup_verdict = models.CharField(
        _("spam defence at sign-up"), max_length=10, blank=True, editable=False
    )
    signup_reasons = models.JSONField(_("why"), default=list, blank=True, editable=False)
    # Set when the emailed link was opened: the account's trust is bound to the address.
    email_confirmed_at = models.DateTimeField(
        _("address confirmed"), null=True, blank=True, editable=False
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["display_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("A user with this email address already exists."),
            ),
        ]

    def __str__(self):
        return self.display_name or f"User #{self.pk}"

    @property
    def has_confirmed_email(self) -> bool:
        return self.email_confirmed_at is not None

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name


class EmailChange(models.Model):
    """A reader asked for a new address: nothing changes until the link emailed to it is used
    (accounts.services.confirm_email_change), which deletes the account's requests."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="email_changes", verbose_name=_("account")
    )
    new_email = models.EmailField(_("new address"))
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("email change")
        verbose_name_plural = _("email changes")

    def __str__(self):
        return f"Email change #{self.pk}"
