from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from auditlog.events import register

        from notifications.services import EMAILS_RESENT, PREFERENCES_UPDATED

        register(EMAILS_RESENT, _("Failed emails queued again"))
        register(PREFERENCES_UPDATED, _("Notification preferences changed"))
