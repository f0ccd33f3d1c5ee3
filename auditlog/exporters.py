from django.utils.translation import gettext_lazy as _

from auditlog import events
from auditlog.changes import readable_changes as changes_for_people
from portal.exports import Column, FilteredListExporter

ARROW = " → "


def readable_changes(event) -> str:
    """`changes` as a person reads them, as on the detail page (auditlog.changes): one line per field,
    "Status: Active → Blocked" or "field: value"."""
    lines = []
    for row in changes_for_people(event):
        if row["pair"]:
            lines.append(f"{row['label']}: {_plain(row['old'])}{ARROW}{_plain(row['new'])}")
        else:
            lines.append(f"{row['label']}: {_plain(row['value'])}")
    return "\n".join(lines)


def _plain(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    return str(value)


class AuditExporter(FilteredListExporter):
    """The audit journal, filtered as on the page. `queryset` comes from an auditlog selector."""

    name = "audit-journal"
    verbose_name = _("Audit journal")
    audit_event = events.AUDIT_EXPORTED
    columns = (
        Column(_("Time"), moment=True),
        Column(_("Actor"), width=24),
        Column(_("Actor email"), width=28),
        Column(_("Role")),
        Column(_("IP address"), width=16),
        Column(_("Event"), width=32),
        Column(_("Event code"), width=28),
        Column(_("Object type"), width=20),
        Column(_("Object id")),
        Column(_("Object"), width=30),
        Column(_("Project"), width=24),
        Column(_("Changes"), width=50),
        Column(_("User agent"), width=40),
    )

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
                readable_changes(event),
                event.user_agent,
            )
