from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CabinetsConfig(AppConfig):
    name = "cabinets"
    verbose_name = _("Cabinets and people")

    def ready(self):
        from cabinets import checks  # noqa: F401 — registers the system checks
