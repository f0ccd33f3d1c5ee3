from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Shared plumbing: the case-folding search lookup, the Celery ping task, the bench."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.db.backends.signals import connection_created

        from portal import search

        search.register_lookups()
        connection_created.connect(search.on_connection_created, dispatch_uid="portal.search.sqlite_fold")
