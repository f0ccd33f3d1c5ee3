from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from auditlog.events import register_all
        from notifications import events

        register_all(events.AUDIT_EVENTS)
