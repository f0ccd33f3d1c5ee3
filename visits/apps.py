from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Visits and ledger")

    def ready(self):
        from auditlog.events import register_all as register_audit_events
        from notifications.events import register_all as register_notification_events
        from visits import events

        register_audit_events(events.AUDIT_EVENTS)
        register_notification_events(events.NOTIFICATION_EVENTS)
