from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from auditlog.changes import register_describer
        from auditlog.events import register_all
        from notifications import events
        from notifications.preferences import describe_preference_change

        register_all(events.AUDIT_EVENTS)
        register_describer(describe_preference_change)
