from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule

from auditlog import events
from auditlog.models import AuditEvent
from portal.admin import AuditedAdminMixin


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
    fields = [
        "created_at",
        "actor",
        "actor_role",
        "ip",
        "user_agent",
        "event",
        "object_type",
        "object_id",
        "object_text",
        "project",
        "changes",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- the beat schedule -----------------------------------------------------------------------------------
# django_celery_beat's models have no owner among our apps; they are re-registered here only so that every
# change to the schedule (which task runs, when, with which arguments) is journaled like any other admin
# write. Its bulk actions change rows with queryset.update(), past save_model: they journal each task here.

# django_celery_beat names this model "crontab", which its Russian catalogue leaves in English; ours says it.
BEAT_NAMES = (gettext_noop("crontab"), gettext_noop("crontabs"))

for _model in (PeriodicTask, IntervalSchedule, CrontabSchedule, SolarSchedule, ClockedSchedule):
    admin.site.unregister(_model)


@admin.register(PeriodicTask)
class AuditedPeriodicTaskAdmin(AuditedAdminMixin, beat_admin.PeriodicTaskAdmin):
    audit_extra_actions = {"run": _("run from the admin")}

    def _journal_enabled(self, request, queryset, new_value) -> None:
        for task in queryset:
            wanted = new_value(task)
            if task.enabled != wanted:
                self.audit(request, task, "changed", {"enabled": (task.enabled, wanted)})

    def enable_tasks(self, request, queryset):
        self._journal_enabled(request, queryset, lambda task: True)
        return super().enable_tasks(request, queryset)

    def disable_tasks(self, request, queryset):
        self._journal_enabled(request, queryset, lambda task: False)
        return super().disable_tasks(request, queryset)

    def toggle_tasks(self, request, queryset):
        self._journal_enabled(request, queryset, lambda task: not task.enabled)
        return super().toggle_tasks(request, queryset)

    def run_tasks(self, request, queryset):
        for task in queryset:
            self.audit(request, task, "run", {"task": task.task})
        return super().run_tasks(request, queryset)

    # The actions keep the descriptions django_celery_beat gave them.
    enable_tasks.short_description = beat_admin.PeriodicTaskAdmin.enable_tasks.short_description
    disable_tasks.short_description = beat_admin.PeriodicTaskAdmin.disable_tasks.short_description
    toggle_tasks.short_description = beat_admin.PeriodicTaskAdmin.toggle_tasks.short_description
    run_tasks.short_description = beat_admin.PeriodicTaskAdmin.run_tasks.short_description


@admin.register(IntervalSchedule)
class AuditedIntervalScheduleAdmin(AuditedAdminMixin, beat_admin.IntervalScheduleAdmin):
    pass


@admin.register(CrontabSchedule)
class AuditedCrontabScheduleAdmin(AuditedAdminMixin, beat_admin.CrontabScheduleAdmin):
    pass


@admin.register(SolarSchedule)
class AuditedSolarScheduleAdmin(AuditedAdminMixin, beat_admin.SolarScheduleAdmin):
    pass


@admin.register(ClockedSchedule)
class AuditedClockedScheduleAdmin(AuditedAdminMixin, beat_admin.ClockedScheduleAdmin):
    pass
