from django.contrib import admin

from portal.admin import AuditedModelAdmin
from projects.models import Membership, Project


@admin.register(Project)
class ProjectAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    show_full_result_count = False


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["user", "project", "created_at"]
    list_select_related = ["user", "project"]
    search_fields = ["user__email", "project__name"]
    autocomplete_fields = ["user", "project"]
    show_full_result_count = False
