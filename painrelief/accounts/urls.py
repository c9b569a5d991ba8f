from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from . import views
from .forms import PasswordResetForm

app_name = "accounts"

urlpatterns = [
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path(
        "signup/sent/",
        TemplateView.as_view(template_name="registration/signup_sent.html"),
        name="signup-sent",
    ),
    path("confirm/<uidb64>/<token>/", views.ConfirmEmailView.as_view(), name="confirm-email"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("email/", views.EmailChangeView.as_view(), name="email-change"),
    path(
        "email/confirm/<uidb64>/<token>/",
        views.EmailChangeConfirmView.as_view(),
        name="email-change-confirm",
    ),
    path("delete/", views.DeleteAccountView.as_view(), name="delete"),
    path(
        "deleted/",
        TemplateView.as_view(template_name="accounts/account_deleted.html"),
        name="deleted",
    ),
    path(
        "password/change/",
        never_cache(
            auth_views.PasswordChangeView.as_view(
                success_url=reverse_lazy("accounts:password-change-done")
            )
        ),
        name="password-change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            success_url=reverse_lazy("accounts:password-reset-done"),
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password-reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
