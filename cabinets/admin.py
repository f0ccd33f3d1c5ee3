from django.contrib import admin

from cabinets.models import User
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
