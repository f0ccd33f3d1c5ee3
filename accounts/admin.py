from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext as _

from accounts import services
from accounts.models import SignInSession, TwoFactorAuthenticator, User, UserStatus, normalize_email
from accounts.selectors import email_in_use
from portal.admin import AuditedAdminMixin, AuditedModelAdmin, ReadOnlyModelAdmin
from projects.models import Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["project"]


class UserAdminForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email"]  # the admin's own `fields` decide what is shown; this form adds the email rule

    def clean_email(self):
        """The same rule as `services.user_change_email`, here so the form shows it next to the field."""
        email = normalize_email(self.cleaned_data.get("email"))
        if email and email_in_use(email=email, exclude_user=self.instance if self.instance.pk else None):
            raise forms.ValidationError(_("Another account already uses this email address."))
        return email


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    form = UserAdminForm
    list_display = ["email", "full_name", "role", "status", "language", "last_login"]
    list_filter = ["role", "status", "language"]
    search_fields = ["email", "full_name", "phone"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined", "invited_at", "password"]
    fields = [
        "email",
        "first_name",
        "last_name",
        "phone",
        "role",
        "status",
        "language",
        "time_zone",
        "password",
        "last_login",
        "date_joined",
        "invited_at",
    ]
    inlines = [MembershipInline]
    show_full_result_count = False

    SERVICE_FIELDS = ("email", "role", "status", *services.PROFILE_FIELDS)

    def save_model(self, request, obj, form, change):
        """Changes that have a service go through it, exactly as in the cabinets, and each service journals
        its own event: the profile fields (`profile_update`), the email (`user_change_email`: allauth's
        addresses follow, sessions end), the role (`user_change_role`: sessions end), the status (blocking
        ends every session at once; unblocking restores the chosen status). Anything else that changed is
        journaled by `AuditedModelAdmin`. A new user is saved and journaled as an admin addition."""
        if not change:
            return super().save_model(request, obj, form, change)
        stored = User.objects.get(pk=obj.pk)
        wanted = {field: getattr(obj, field) for field in self.SERVICE_FIELDS}
        for field in self.SERVICE_FIELDS:
            setattr(obj, field, getattr(stored, field))
        super().save_model(request, obj, form, change)

        profile = {f: wanted[f] for f in services.PROFILE_FIELDS if wanted[f] != getattr(stored, f)}
        if profile:
            services.profile_update(user=obj, actor=request.user, data=profile)
        if wanted["email"] != stored.email:
            services.user_change_email(user=obj, email=wanted["email"], actor=request.user)
        if wanted["role"] != stored.role:
            services.user_change_role(user=obj, role=wanted["role"], actor=request.user)
        if wanted["status"] != stored.status:
            self._change_status(request, obj, previous=stored.status, wanted=wanted["status"])
        return None

    def _change_status(self, request, obj, *, previous, wanted):
        if wanted == UserStatus.BLOCKED:
            services.user_block(user=obj, actor=request.user)
            return
        if previous == UserStatus.BLOCKED:
            services.user_unblock(user=obj, actor=request.user)
        if obj.status != wanted:
            obj.status = wanted
            obj.save(update_fields=["status"])


admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdminMixin, GroupAdmin):
    pass


# --- allauth's rows: read-only, and no page shows a secret ---------------------------------------------
# allauth's own ModelAdmins showed every TOTP secret and recovery seed (Authenticator.data), every session
# key (UserSession.session_key: the value of a session cookie) and let staff add a second, verified email
# address to anyone (a password-reset address). These replace them.

admin.site.unregister(Authenticator)
admin.site.unregister(UserSession)
admin.site.unregister(EmailAddress)


@admin.register(TwoFactorAuthenticator)
class TwoFactorAuthenticatorAdmin(ReadOnlyModelAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    fields = ["user", "type", "created_at", "last_used_at"]  # never `data`: the encrypted secret or seed
    show_full_result_count = False


@admin.register(SignInSession)
class SignInSessionAdmin(ReadOnlyModelAdmin):
    list_display = ["user", "ip", "user_agent", "created_at", "last_seen_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "ip"]
    fields = ["user", "ip", "user_agent", "created_at", "last_seen_at"]  # never `session_key` nor `data`
    show_full_result_count = False


@admin.register(EmailAddress)
class EmailAddressAdmin(ReadOnlyModelAdmin):
    """Changed only with the user's email (`services.user_change_email`)."""

    list_display = ["email", "user", "primary", "verified"]
    list_filter = ["primary", "verified"]
    list_select_related = ["user"]
    search_fields = ["email", "user__email", "user__full_name"]
    fields = ["user", "email", "primary", "verified"]
