import copy

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView, UpdateView

from . import services
from .emails import confirmation_tokens
from .forms import LoginForm, ProfileForm, SignUpForm
from .models import User


@method_decorator(never_cache, name="dispatch")
class SignUpView(FormView):
    form_class = SignUpForm
    template_name = "registration/signup.html"
    success_url = reverse_lazy("accounts:profile")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect(self.success_url)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.sign_up(
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password1"],
                spam_context=form.spam_context(self.request, kind="signup"),
            )
        except services.SignUpRefused:
            form.add_error(
                None,
                _(
                    "We could not create this account. If you are a person, please try again "
                    "in a few minutes; your details are kept."
                ),
            )
            return self.form_invalid(form)
        # The same page for an address that has an account: only its mailbox is told.
        return redirect("accounts:signup-sent")


@method_decorator(never_cache, name="dispatch")
class ConfirmEmailView(TemplateView):
    """The link of the sign-up email: a button confirms (mail scanners that open links do not
    press it), then the reader is signed in."""

    template_name = "registration/confirm_email.html"

    def dispatch(self, request, *args, **kwargs):
        self.account = _account_of(kwargs["uidb64"])
        if self.account is None or not confirmation_tokens.check_token(
            self.account, kwargs["token"]
        ):
            return self.render_to_response({"link_works": False}, status=410)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(link_works=True, account=self.account, **kwargs)

    def post(self, request, *args, **kwargs):
        services.confirm_email(user=self.account)
        login(request, self.account, backend="painrelief.accounts.backends.EmailBackend")
        messages.success(
            request,
            _("Thank you, %(name)s: your address is confirmed.") % {"name": self.account},
        )
        return redirect("accounts:profile")


def _account_of(uidb64: str) -> User | None:
    """The account a link's id names, or None (as Django's password reset reads it)."""
    try:
        return User.objects.filter(pk=int(urlsafe_base64_decode(uidb64).decode())).first()
    except (ValueError, OverflowError):
        return None


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password through the emailed link also proves the address."""

    def form_valid(self, form):
        services.confirm_email(user=form.user)
        return super().form_valid(form)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


@method_decorator(never_cache, name="dispatch")
class ProfileView(LoginRequiredMixin, UpdateView):
    form_class = ProfileForm
    template_name = "accounts/profile.html"
    context_object_name = "profile"  # "user" stays the signed-in user, as saved
    success_url = reverse_lazy("accounts:profile")
    success_message = _("Your profile has been saved.")

    def get_object(self, queryset=None):
        # A copy: a form with errors must not change the name shown in the page header.
        return copy.copy(self.request.user)

    def form_valid(self, form):
        services.update_profile(
            user=self.object,
            display_name=form.cleaned_data["display_name"],
            avatar=form.cleaned_data["avatar_upload"],
            remove_avatar=form.cleaned_data["remove_avatar"],
        )
        messages.success(self.request, self.success_message)
        return redirect(self.success_url)
