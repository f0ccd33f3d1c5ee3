from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from accounts import services
from accounts.models import User, UserStatus, normalize_email
from accounts.selectors import email_in_use
from portal.exceptions import ApplicationError
from projects.models import Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["project"]


class UserAdminForm(forms.ModelForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        """The same rule as `services.user_change_email`, here so the form shows it next to the field."""
        email = normalize_email(self.cleaned_data.get("email"))
        if email and email_in_use(email=email, exclude_user=self.instance if self.instance.pk else None):
            raise forms.ValidationError(_("Another account already uses this email address."))
        return email


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    form = UserAdminForm
    list_display = ["email", "full_name", "role", "status", "language", "last_login"]
    list_filter = ["role", "status", "language"]
    search_fields = ["email", "full_name", "phone"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined", "password"]
    fields = ["email", "full_name", "phone", "role", "status", "language", "time_zone", "password", "last_login", "date_joined"]
    inlines = [MembershipInline]
    show_full_result_count = False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A service refusing the change (ApplicationError) rolls the whole save back — the admin wraps it
        in one transaction — and is shown as a message, like in the cabinets."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        """Changes that have a service go through it, exactly as everywhere else:
        * email — `user_change_email`: allauth's addresses follow, every session ends, it is audited;
        * status — blocking ends every session at once and is audited; unblocking restores the chosen status.
        """
        if not change:
            return super().save_model(request, obj, form, change)
        stored = User.objects.get(pk=obj.pk)
        wanted_email, wanted_status = obj.email, obj.status
        obj.email, obj.status = stored.email, stored.status
        super().save_model(request, obj, form, change)
        if wanted_email != stored.email:
            services.user_change_email(user=obj, email=wanted_email, actor=request.user)
        if wanted_status != stored.status:
            self._change_status(request, obj, previous=stored.status, wanted=wanted_status)
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
