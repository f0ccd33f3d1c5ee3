"""A real Celery worker started by a test (`tests/services.py::start_celery_worker`), never a server.

It extends the test settings and changes only what a separate process needs to share with the test:
* the broker and the cache are the Redis at REDIS_URL (required: the helper passes a dedicated DB, /14,
  so a test worker never reads the queues of a developer's or production worker);
* tasks really go through the broker (eager off);
* the database is DATABASE_URL — the helper passes the URL of the test's own PostgreSQL database when a
  task must see the test's rows (`tests/services.py::worker_database_url`); without it the worker gets
  its own empty in-memory SQLite, which is enough for tasks that do not touch the database;
* email goes over SMTP to EMAIL_HOST:EMAIL_PORT (a test's SMTP sink, e.g. aiosmtpd), because mail kept
  in a worker's memory is invisible to the test.
Nothing inherited from `test` is mutated in place: the test process may import this module too.
"""

from .base import env
from .test import *

REDIS_URL = env.str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = True

CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

DATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///:memory:")}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=1025)
EMAIL_USE_TLS = False
EMAIL_USE_SSL = False
EMAIL_TIMEOUT = 10
