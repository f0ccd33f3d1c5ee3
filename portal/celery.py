from celery import Celery

from portal.startup import require_settings_module

require_settings_module()

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["portal"])  # portal is not an installed app; its tasks module still belongs to every worker
