"""What a server process checks before it loads anything: which settings it runs.

`manage.py` defaults to the local settings for developers; a server (gunicorn through `portal.wsgi`, a
Celery worker or beat through `portal.celery`) must be told. Guessing would start a forgotten production
container with DEBUG on and the local, public SECRET_KEY.
"""

import os

from django.core.exceptions import ImproperlyConfigured

MISSING = (
    "DJANGO_SETTINGS_MODULE is not set, and a server process (gunicorn via portal.wsgi, Celery via "
    "portal.celery) does not guess it: set DJANGO_SETTINGS_MODULE=portal.settings.production on a server "
    "(the Docker image does), or portal.settings.local on a developer's machine."
)


def require_settings_module() -> str:
    name = os.environ.get("DJANGO_SETTINGS_MODULE", "").strip()
    if not name:
        raise ImproperlyConfigured(MISSING)
    return name
