from celery import Celery

from portal.startup import require_settings_module

require_settings_module()

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
