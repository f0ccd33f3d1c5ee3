"""`make bench`: production-like request handling (DEBUG off) over its own large database.

SQLite `var/bench.sqlite3` by default (`--size small` uses `var/bench-small.sqlite3`, so a quick check never
throws away the large dataset); `BENCH_DATABASE_URL` runs the same benchmark on PostgreSQL instead.
Nothing else needs a server: locmem cache and email, Celery eager, static files served from the finders.
"""

import os

from .base import *
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "bench-only-secret-key-misty-portal-not-for-production"
MFA_ENCRYPTION_KEY = "YmVuY2gtb25seS1ub3Qtc2VjcmV0LW1mYS1rZXktMzI="  # base64 of "bench-only-not-secret-mfa-key-32"
CLIENT_HASH_KEY = "bench-only-not-secret-client-hash-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# The bare comparison views live beside the portal's own URLs, and only here.
ROOT_URLCONF = "portal.bench.urls"

BENCH_DATABASE_FROM_ENV = "BENCH_DATABASE_URL" in os.environ
BENCH_SQLITE_FILES = {"large": BASE_DIR / "var" / "bench.sqlite3", "small": BASE_DIR / "var" / "bench-small.sqlite3"}
DATABASES = {"default": env.db("BENCH_DATABASE_URL", default=f"sqlite:///{BENCH_SQLITE_FILES['large']}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Production's connection handling (portal/settings/production.py): a connection is kept across requests.
# Without it every timed request on PostgreSQL paid for a new connection, which production never does.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The same connection setup as `make run`, so the numbers describe the embedded default.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# Thousands of dataset users share one precomputed hash; personas sign in with force_login.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "misty-bench"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"

# `{% static %}` must work without collectstatic: plain storage, WhiteNoise indexes the finders once at
# start-up (no per-request autorefresh, as in production). No STATIC_ROOT, so no "No directory" warning.
STATIC_ROOT = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

LOGGING["root"]["level"] = "WARNING"
LOGGING["loggers"]["django.request"] = {"level": "ERROR"}

PORTAL_BENCH = True
