import uuid

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from painrelief.counters import count_event
from painrelief.mail import outbox
from painrelief.spam.forms import SpamGuardMixin
from painrelief.text import IntactTextMixin, clean_line

from .avatars import process_avatar
from .models import User


def clean_display_name(value: str) -> str:
    """A display name cleaned as every name the site shows (guests', askers'), or an error."""
    name = clean_line(value)
    if not name:
        raise ValidationError(
            _("Please tell us the name to show with your comments."), code="required"
        )
    return name


class SignUpForm(IntactTextMixin, SpamGuardMixin, auth_forms.UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name")
        help_texts = {
            "email": _("Used to sign in and to reset your password. Never shown to anyone."),
        }

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"])

    def validate_unique(self):
        """Whether the address has an account is never said here: sign-up emails the address
        instead (services.sign_up), and the database's constraint settles a race."""

    def validate_constraints(self):
        """The same: the case-insensitive unique address is for sign_up() to meet."""

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])


# Django's reset form sends a link each time it is posted: anyone could fill a reader's inbox.
PASSWORD_RESETS_PER_ADDRESS_PER_HOUR = 3


class PasswordResetForm(auth_forms.PasswordResetForm):
    """The reset link is sent through the outbox: retried while the mail server is away. A few
    links per address an hour; past that the page says the same and nothing is sent."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        sent = count_event(f"password-resets:{to_email.lower()}", window_seconds=3600)
        if sent > PASSWORD_RESETS_PER_ADDRESS_PER_HOUR:
            return
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        message = EmailMessage(subject, body, from_email, [to_email])
        outbox.send(message, key=f"password-reset:{uuid.uuid4()}")


class LoginForm(auth_forms.AuthenticationForm):
    username = auth_forms.UsernameField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _(
            "That email address and password do not match an account. "
            "Note that the password is case-sensitive."
        ),
    }


class ProfileForm(IntactTextMixin, forms.ModelForm):
    avatar_upload = forms.FileField(
        label=_("New avatar"),
        required=False,
        help_text=_(
            "A JPEG, PNG, GIF or WebP picture up to 5 MB. "
            "We crop it to a square and remove its location and camera data."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)

    class Meta:
        model = User
        fields = ("display_name",)

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])

    def clean_avatar_upload(self):
        upload = self.cleaned_data.get("avatar_upload")
        return process_avatar(upload) if upload else None


class CurrentPasswordMixin:
    """A form that changes the account asks for its password again (`self.user`)."""

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(
                _("That is not your current password. Note that it is case-sensitive."),
                code="password_incorrect",
            )
        return password


def current_password_field():
    return forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class EmailChangeForm(IntactTextMixin, CurrentPasswordMixin, forms.Form):
    new_email = forms.EmailField(
        label=_("New email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to it; your address changes when you open the link."),
    )
    password = current_password_field()

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_email(self):
        email = User.objects.normalize_email(self.cleaned_data["new_email"])
        if email.lower() == self.user.email.lower():
            raise ValidationError(_("This is your address already."), code="unchanged")
        return email


class DeleteAccountForm(IntactTextMixin, CurrentPasswordMixin, forms.Form):
    class Questions(models.TextChoices):
        KEEP_PUBLIC = (
            "keep-public",
            _(
                "Keep the published ones, anonymised: the public text you approved and the "
                "coach's answer stay online, without your name; everything else is deleted"
            ),
        )
        DELETE = "delete", _("Delete them all entirely, published ones too")

    questions = forms.ChoiceField(
        label=_("Your questions"),
        choices=Questions,
        initial=Questions.KEEP_PUBLIC,
        widget=forms.RadioSelect,
    )
    password = current_password_field()

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
