import json

from django.utils.translation import gettext_lazy as _

from auditlog import events
from portal.exports import ListExporter


class AuditExporter(ListExporter):
    """The audit journal, filtered as on the page. `queryset` comes from an auditlog selector."""

    name = "audit-journal"
    verbose_name = _("Audit journal")
    audit_event = events.AUDIT_EXPORTED
    headers = (
        _("Time"), _("Actor"), _("Actor email"), _("Role"), _("IP address"), _("Event"), _("Event code"),
        _("Object type"), _("Object id"), _("Object"), _("Project"), _("Changes"), _("User agent"),
    )

    def __init__(self, *, queryset, filters: dict | None = None, **options):
        super().__init__(**options)
        self.queryset = queryset
        self.filters = {k: v for k, v in (filters or {}).items() if v not in (None, "", [])}

    def audit_details(self) -> dict:
        return {"filters": {k: str(v) for k, v in self.filters.items()}}

    def rows(self):
        for event in self.queryset.iterator(chunk_size=2000):
            actor = event.actor
            yield (
                event.created_at,
                (actor.full_name or actor.email) if actor else "",
                actor.email if actor else "",
                event.actor_role_label,
                event.ip or "",
                event.event_label,
                event.event,
                event.object_type,
                event.object_id,
                event.object_text,
                event.project.name if event.project else "",
                json.dumps(event.changes, ensure_ascii=False, default=str) if event.changes else "",
                event.user_agent,
            )
