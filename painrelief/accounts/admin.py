from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from . import services
from .models import User
from .roles import Role


class UserChangeAdminForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "display_name")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = (
        "email",
        "display_name",
        "roles",
        "is_staff",
        "is_active",
        "date_joined",
        "signup_verdict",
    )
    list_filter = ("groups", "is_staff", "is_superuser", "is_active", "signup_verdict")
    search_fields = ("email", "display_name")
    ordering = ("-date_joined",)
    date_hierarchy = "date_joined"
    readonly_fields = (
        "last_login",
        "date_joined",
        "avatar",
        "avatar_small",
        "signup_verdict",
        "signup_why",
    )
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "avatar", "avatar_small")}),
        (_("Spam defence at sign-up"), {"fields": ("signup_verdict", "signup_why")}),
        (
            _("Roles and permissions"),
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "description": _(
                    "Use the “Make coach” and “Make moderator” actions of the user "
                    "list to give a role: they set the group and the admin access together."
                ),
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    actions = ("make_coach", "make_moderator", "make_reader")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("why"))
    def signup_why(self, user):
        return "; ".join(reason["text"] for reason in user.signup_reasons) or "—"

    @admin.display(description=_("roles"))
    def roles(self, user):
        return ", ".join(group.name for group in user.groups.all()) or _("Reader")

    def _grant(self, request, queryset, role):
        for user in queryset:
            services.grant_role(user=user, role=role)
        self.message_user(
            request,
            _("%(count)d user(s) are now %(role)s.") % {"count": len(queryset), "role": role.label},
            messages.SUCCESS,
        )

    @admin.action(description=_("Make coach"), permissions=["change"])
    def make_coach(self, request, queryset):
        self._grant(request, queryset, Role.COACH)

    @admin.action(description=_("Make moderator"), permissions=["change"])
    def make_moderator(self, request, queryset):
        self._grant(request, queryset, Role.MODERATOR)

    @admin.action(description=_("Make plain reader (remove roles)"), permissions=["change"])
    def make_reader(self, request, queryset):
        for user in queryset:
            services.revoke_roles(user=user)
        self.message_user(
            request,
            _("%(count)d user(s) are now plain readers.") % {"count": len(queryset)},
            messages.SUCCESS,
        )
