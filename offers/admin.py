"""The marketplace in the Django admin: read-only. Every change of a lot, response or deal is a service with
its state checks, history, notifications and journal (offers/services.py); an admin form would go around
them, so administrators look here and act in the staff cabinet."""

from django.contrib import admin

from offers.models import Deal, DealMessage, Lot, LotRevision, LotStatusChange, Response
from portal.admin import ReadOnlyModelAdmin


class LotRevisionInline(admin.TabularInline):
    model = LotRevision
    fields = ["number", "status", "author", "created_at", "reviewer", "reviewed_at", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LotStatusChangeInline(admin.TabularInline):
    model = LotStatusChange
    fields = ["created_at", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Lot)
class LotAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "project", "status", "quota", "reward", "valid_from", "valid_until", "updated_at"]
    list_filter = ["status", "benefit_type"]
    list_select_related = ["project"]
    search_fields = ["title", "project__name"]
    inlines = [LotRevisionInline, LotStatusChangeInline]
    show_full_result_count = False


@admin.register(Response)
class ResponseAdmin(ReadOnlyModelAdmin):
    list_display = ["lot", "project", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["lot", "project"]
    search_fields = ["lot__title", "project__name"]
    show_full_result_count = False


@admin.register(Deal)
class DealAdmin(ReadOnlyModelAdmin):
    list_display = ["code", "lot", "owner", "partner", "status", "created_at", "ended_at"]
    list_filter = ["status"]
    list_select_related = ["lot", "owner", "partner"]
    search_fields = ["code", "lot__title", "owner__name", "partner__name"]
    show_full_result_count = False


@admin.register(DealMessage)
class DealMessageAdmin(ReadOnlyModelAdmin):
    list_display = ["deal", "author", "author_project", "created_at"]
    list_select_related = ["deal", "author", "author_project"]
    search_fields = ["deal__code", "body"]
    show_full_result_count = False
