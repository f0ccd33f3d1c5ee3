from django.contrib import admin

from accounts import services
from accounts.models import User, UserStatus
from projects.models import Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["project"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "role", "status", "language", "last_login"]
    list_filter = ["role", "status", "language"]
    search_fields = ["email", "full_name", "phone"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined", "password"]
    fields = ["email", "full_name", "phone", "role", "status", "language", "time_zone", "password", "last_login", "date_joined"]
    inlines = [MembershipInline]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        """A status change made here goes through the same services as everywhere else: blocking ends
        every session at once and is audited; unblocking restores the chosen status."""
        if not (change and "status" in form.changed_data):
            return super().save_model(request, obj, form, change)
        wanted, previous = obj.status, form.initial.get("status")
        obj.status = previous
        super().save_model(request, obj, form, change)
        if wanted == UserStatus.BLOCKED:
            services.user_block(user=obj, actor=request.user)
            return None
        if previous == UserStatus.BLOCKED:
            services.user_unblock(user=obj, actor=request.user)
        if obj.status != wanted:
            obj.status = wanted
            obj.save(update_fields=["status"])
        return None
