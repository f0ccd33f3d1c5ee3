from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditlogConfig(AppConfig):
    name = "auditlog"
    verbose_name = _("Audit journal")

    def ready(self):
        from auditlog import events

        events.register_all(events.AUDIT_EVENTS)
