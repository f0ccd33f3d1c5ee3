"""`make run`: no server needed — SQLite, files on disk, email to console and var/mail/, Celery eager."""

from .base import *
from .base import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="local-only-not-secret-misty-portal-development-key")
# base64 of "local-only-not-secret-mfa-key-32": a valid Fernet key that protects nothing.
MFA_ENCRYPTION_KEY = env.str("MFA_ENCRYPTION_KEY", default="bG9jYWwtb25seS1ub3Qtc2VjcmV0LW1mYS1rZXktMzI=")
CLIENT_HASH_KEY = env.str("CLIENT_HASH_KEY", default="local-only-not-secret-client-hash-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

EMAIL_BACKEND = "portal.mail.ConsoleAndFileEmailBackend"
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"

CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
