"""Production: PostgreSQL, Redis (broker, cache, rate limits), S3 storage, SMTP, behind a TLS proxy.

Secrets have no defaults: a missing one stops the process at start-up (django-environ raises).
"""

from portal.cache import celery_broker_settings, redis_cache_settings

from .base import *
from .base import CELERY_BROKER_TRANSPORT_OPTIONS, env

DEBUG = False
PORTAL_IS_PRODUCTION = True
SECRET_KEY = env.str("SECRET_KEY")
MFA_ENCRYPTION_KEY = env.str("MFA_ENCRYPTION_KEY")  # Fernet key(s) for TOTP secrets at rest (accounts/mfa.py)
CLIENT_HASH_KEY = env.str("CLIENT_HASH_KEY")  # the key of the clients' keyed hashes (visits/clients.py)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL")  # absolute links in emails: a wrong host here breaks every email

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# --- Redis: cache (rate limits, TOTP replay guard) and Celery broker --------------------------------------
# REDIS_URL is one Redis (redis://[:password@]host:6379/0) or a master watched by Redis Sentinel
# (sentinel://[:password@]host:26379,host2:26379/0?master=<name>): portal/cache.py reads both forms.
# The cache degrades when Redis is unreachable: pages keep working, sign-in answers 503 (cabinets/cache_guard.py).
REDIS_URL = env.str("REDIS_URL")
CACHES = {"default": redis_cache_settings(REDIS_URL, key_prefix="portal")}
CELERY_BROKER_URL, _broker_options = celery_broker_settings(REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, **_broker_options}
CELERY_TASK_ALWAYS_EAGER = False
# Sessions live in the database only. With cached_db a logout or an ended session during a Redis outage
# deletes the row but not the cached copy, which would sign the cookie back in once Redis returns.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- files on S3-compatible storage (django-storages) -------------------------
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "access_key": env.str("AWS_ACCESS_KEY_ID"),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- email over SMTP -----------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.str("EMAIL_HOST")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 20

# --- TLS is terminated by the proxy in front of gunicorn -----------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Secure-sessionid"
CSRF_COOKIE_NAME = "__Secure-csrftoken"
USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)

PORTAL_STAFF_REQUIRE_2FA = env.bool("PORTAL_STAFF_REQUIRE_2FA", default=True)
HEALTHZ_CHECK_CACHE = True
HEALTHZ_CHECK_BROKER = True

LOGGING["root"]["level"] = env.str("LOG_LEVEL", default="INFO")
LOGGING["handlers"]["mail_admins"] = {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR"}
LOGGING["loggers"]["django.request"] = {"handlers": ["console", "mail_admins"], "level": "ERROR"}
ADMINS = [("Ops", a) for a in env.list("ADMIN_EMAILS", default=[])]
