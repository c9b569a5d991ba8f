import copy

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView, UpdateView

from painrelief import privacy

from . import services
from .emails import confirmation_tokens, email_change_tokens
from .forms import DeleteAccountForm, EmailChangeForm, LoginForm, ProfileForm, SignUpForm
from .models import EmailChange, User


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
    return _row_of(User.objects.all(), uidb64)


def _row_of(queryset, uidb64: str):
    try:
        return queryset.filter(pk=int(urlsafe_base64_decode(uidb64).decode())).first()
    except (ValueError, OverflowError):
        return None


class AccountFormMixin(LoginRequiredMixin):
    """A form acting on the signed-in account, which it is given."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


@method_decorator(never_cache, name="dispatch")
class EmailChangeView(AccountFormMixin, FormView):
    form_class = EmailChangeForm
    template_name = "accounts/email_change.html"

    def form_valid(self, form):
        new_email = form.cleaned_data["new_email"]
        try:
            services.request_email_change(user=self.request.user, new_email=new_email)
        except services.TooManyEmailChanges:
            form.add_error(
                None, _("You asked for several changes in the last hour: please try later.")
            )
            return self.form_invalid(form)
        # The same answer whether the address has an account: only its mailbox is told.
        messages.success(
            self.request,
            _(
                "We sent a link to %(new)s: your address changes when you open it. Until then "
                "you sign in with %(old)s, which we told about your request."
            )
            % {"new": new_email, "old": self.request.user.email},
        )
        return redirect("accounts:profile")


@method_decorator(never_cache, name="dispatch")
class EmailChangeConfirmView(TemplateView):
    """The link sent to the new address: a button confirms it (mail scanners that open links
    do not press it)."""

    template_name = "accounts/email_change_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        self.change = _row_of(EmailChange.objects.select_related("user"), kwargs["uidb64"])
        if self.change is None or not email_change_tokens.check_token(self.change, kwargs["token"]):
            return self.render_to_response({"link_works": False}, status=410)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(link_works=True, change=self.change, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            account = services.confirm_email_change(change=self.change)
        except services.AddressTaken:
            context = self.get_context_data(taken=True)
            return self.render_to_response(context, status=409)
        messages.success(
            request,
            _("Your email address is now %(email)s.") % {"email": account.email},
        )
        # Opened where the account is not signed in: it signs in with the new address.
        return redirect("accounts:profile" if request.user == account else "accounts:login")


@method_decorator(never_cache, name="dispatch")
class DeleteAccountView(AccountFormMixin, FormView):
    """The page explaining what deleting the account does; staff accounts are deleted by a
    superuser in the admin (their articles, answers and decisions have to be handed on)."""

    form_class = DeleteAccountForm
    template_name = "accounts/delete_account.html"

    def post(self, request, *args, **kwargs):
        if self.staff_account:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    @property
    def staff_account(self) -> bool:
        return self.request.user.is_staff or self.request.user.is_superuser

    def get_context_data(self, **kwargs):
        return super().get_context_data(staff_account=self.staff_account, **kwargs)

    def form_valid(self, form):
        keep = form.cleaned_data["questions"] == DeleteAccountForm.Questions.KEEP_PUBLIC
        try:
            privacy.delete_account(user=self.request.user, keep_public_questions=keep)
        except privacy.AccountDeletionRefused:
            form.add_error(None, _("Please confirm your address first (see your profile)."))
            return self.form_invalid(form)
        logout(self.request)
        return redirect("accounts:deleted")


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
