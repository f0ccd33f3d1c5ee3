from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People")

    def ready(self):
        from accounts import checks, events, receivers  # noqa: F401 — checks register themselves
        from auditlog.events import register_all as register_audit_events
        from notifications.events import register_all as register_notification_events

        receivers.connect()
        register_audit_events(events.AUDIT_EVENTS)
        register_notification_events(events.NOTIFICATION_EVENTS)
