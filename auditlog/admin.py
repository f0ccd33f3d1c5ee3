from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from auditlog import events
from auditlog.models import AuditEvent


class EstimatedCountPaginator(Paginator):
    """The unfiltered changelist would COUNT(*) a table of millions; PostgreSQL's estimate is enough there."""

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if connection.vendor == "postgresql" and query is not None and not query.where:
            with connection.cursor() as cursor:
                cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [AuditEvent._meta.db_table])
                row = cursor.fetchone()
            if row and row[0] > 10_000:
                return row[0]
        return super().count


class EventFilter(admin.SimpleListFilter):
    """Choices from the catalogue, not `SELECT DISTINCT event` over the whole table."""

    title = _("event")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        return events.choices()

    def queryset(self, request, queryset):
        return queryset.filter(event=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the journal is append-only, and the staff page is the place to read it."""

    list_display = ["created_at", "actor", "actor_role", "event", "object_text", "project", "ip"]
    list_filter = [EventFilter]
    list_select_related = ["actor", "project"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    ordering = ["-created_at", "-id"]
    raw_id_fields = ["actor", "project"]
    fields = ["created_at", "actor", "actor_role", "ip", "user_agent", "event", "object_type", "object_id",
              "object_text", "project", "changes"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
