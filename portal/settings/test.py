"""pytest: fast and isolated. SQLite by default; DATABASE_URL switches the whole suite to PostgreSQL."""

from .base import *
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key-misty-portal-not-for-production"
MFA_ENCRYPTION_KEY = "dGVzdC1vbmx5LW5vdC1zZWNyZXQtbWZhLWtleS0wMzI="  # base64 of "test-only-not-secret-mfa-key-032"
CLIENT_HASH_KEY = "test-only-not-secret-client-hash-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

DATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///:memory:")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING["root"]["level"] = "WARNING"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
