"""Reports' notification events. Registered in `ReportsConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from notifications.events import REPRESENTATIVES, EventType

AUDIT_EVENTS: dict = {}

REPORT_UPLOADED = EventType(
    "reports.report.uploaded",
    _("New report uploaded"),
    REPRESENTATIVES,
    "report-uploaded",
    context_keys=("report_title", "project_name"),
)

NOTIFICATION_EVENTS = (REPORT_UPLOADED,)
