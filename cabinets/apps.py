from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CabinetsConfig(AppConfig):
    name = "cabinets"
    verbose_name = _("Cabinets")

    def ready(self):
        from auditlog.events import register_all as register_audit_events
        from cabinets import events
        from notifications.events import register_all as register_notification_events

        register_audit_events(events.AUDIT_EVENTS)
        register_notification_events(events.NOTIFICATION_EVENTS)
