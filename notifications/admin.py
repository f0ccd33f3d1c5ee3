from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notifications import events
from notifications.models import Notification, NotificationPreference, NotificationSettings
from portal.admin import AuditedModelAdmin


class EventFilter(admin.SimpleListFilter):
    """Choices from the registry, not `SELECT DISTINCT event` over every notification."""

    title = _("event")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        return [(e.code, e.label) for e in events.all_events()]

    def queryset(self, request, queryset):
        return queryset.filter(event=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(AuditedModelAdmin):
    list_display = ["created_at", "recipient", "event", "title", "read_at", "email_state", "email_attempts"]
    list_filter = ["email_state", EventFilter]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "title"]
    raw_id_fields = ["recipient"]
    ordering = ["-created_at", "-id"]
    show_full_result_count = False  # millions of rows: "N results" must not count them all
    readonly_fields = ["created_at", "email_attempts", "email_last_error", "email_claimed_at", "email_sent_at"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(AuditedModelAdmin):
    list_display = ["user", "event", "email_enabled"]
    list_filter = [EventFilter, "email_enabled"]
    raw_id_fields = ["user"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(AuditedModelAdmin):
    list_display = ["user", "staff_level"]
    list_filter = ["staff_level"]
    raw_id_fields = ["user"]
