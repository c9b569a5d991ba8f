import copy

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, UpdateView

from . import services
from .forms import LoginForm, ProfileForm, SignUpForm


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
            self.object = services.sign_up(
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
        except services.EmailTaken:
            form.add_error("email", SignUpForm.email_taken())
            return self.form_invalid(form)
        return self.signed_up(self.object)

    def form_invalid(self, form):
        # The second copy of a double click finds the address taken by the first: it gets
        # the first's answer.
        if form.has_error("email", "duplicate_email"):
            user = services.account_made_by_this_form(
                self.request,
                email=form.data.get("email", ""),
                password=form.cleaned_data.get("password1", ""),
                form_shown_at=form.shown_at(),
            )
            if user is not None:
                return self.signed_up(user)
        return super().form_invalid(form)

    def signed_up(self, user):
        login(self.request, user, backend="painrelief.accounts.backends.EmailBackend")
        messages.success(
            self.request,
            _("Welcome, %(name)s! Your account is ready.") % {"name": user.display_name},
        )
        return redirect(self.success_url)


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
