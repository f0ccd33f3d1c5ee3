"""Settings shared by every environment; values that differ come from the environment (django-environ)."""

from decimal import Decimal, InvalidOperation
from pathlib import Path

import environ
from celery.schedules import crontab
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "guardian",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "csp",
    # ours: shared plumbing, the domain apps, then the web
    "portal",
    "accounts",
    "projects",
    "offers",
    "visits",
    "reports",
    "notifications",
    "auditlog",
    "cabinets",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.StripControlCharactersMiddleware",  # before any form reads request.POST
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "auditlog.context.AuditContextMiddleware",  # IP and user agent for audit events written by services
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "cabinets.middleware.SessionLastSeenMiddleware",  # "last seen" of each session, every few minutes
    "cabinets.middleware.UserPreferencesMiddleware",
    "cabinets.middleware.StaffSessionIdleMiddleware",
    "cabinets.middleware.StaffTwoFactorMiddleware",
    "cabinets.cache_guard.SignInNeedsCacheMiddleware",  # 503 for password/code checks while the cache is down
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "cabinets.context_processors.cabinet",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout: the embedded default must survive a page load while a task writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# --- allauth -----------------------------------------------------------------
ACCOUNT_ADAPTER = "accounts.adapters.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# No sign-up page exists: a reset asked for an unknown address sends nothing (and reveals nothing).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Security notices by email: password changed / set / reset, two-factor on / off, new recovery codes. Every
# account email is rendered in the recipient's language and sent by a task (accounts/adapters.py).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS_ENABLED = True
# Failed logins: 5 per 5 minutes per email (the lockout), 20 per minute per IP.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    # The public "request access" page (cabinets.views.access_requests): complete requests per IP.
    "access_request": "5/h/ip",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_ADAPTER = "accounts.mfa.PortalMFAAdapter"  # encrypts TOTP secrets at rest with MFA_ENCRYPTION_KEY
# allauth's forms: lockouts journaled (refused before the password or code is checked), code fields
# for phones, replayed codes named (cabinets/auth_forms.py).
ACCOUNT_FORMS = {
    "login": "cabinets.auth_forms.LoginForm",
    "reauthenticate": "cabinets.auth_forms.PasswordReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Misty Partner Portal"
MFA_RECOVERY_CODE_COUNT = 10
MFA_FORMS = {
    "activate_totp": "cabinets.auth_forms.PortalActivateTOTPForm",
    "authenticate": "cabinets.auth_forms.PortalAuthenticateForm",
    "reauthenticate": "cabinets.auth_forms.PortalReauthenticateForm",
}
USERSESSIONS_TRACK_ACTIVITY = False
# Staff must enrol TOTP before they can use the staff cabinet (SPEC §3); production turns it on.
PORTAL_STAFF_REQUIRE_2FA = env.bool("PORTAL_STAFF_REQUIRE_2FA", default=False)
# A staff session ends after this many minutes without a request (0: never); a role change ends every
# session of the person (accounts.services.user_change_role). Representatives keep SESSION_COOKIE_AGE.
PORTAL_STAFF_SESSION_IDLE_MINUTES = env.int("PORTAL_STAFF_SESSION_IDLE_MINUTES", default=30)

# --- guardian ----------------------------------------------------------------
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

# --- i18n / time -------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Moscow"
# One date and time format per language, everywhere (pages, emails, exports' file names aside).
FORMAT_MODULE_PATH = ["portal.formats"]

# --- static / media ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- cache / sessions ----------------------------------------------------------
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "misty-portal",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# --- email -------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Misty Partner Portal <noreply@misty.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SUPPORT_EMAIL = env.str("SUPPORT_EMAIL", default="support@misty.example")
EMAIL_SUBJECT_PREFIX = "[Misty] "

# --- celery ------------------------------------------------------------------
CELERY_BROKER_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "portal"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}

# --- notifications (the delivery rules: notifications/delivery.py) -----------
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")  # absolute links in emails
# How long an invitation's set-password link works (accounts.invitations); a new invitation replaces the old link.
PORTAL_INVITATION_DAYS = env.int("PORTAL_INVITATION_DAYS", default=7)
NOTIFICATIONS_SWEEP_EVERY_SECONDS = env.int("NOTIFICATIONS_SWEEP_EVERY_SECONDS", default=60)
NOTIFICATIONS_SWEEP_AFTER_SECONDS = env.int("NOTIFICATIONS_SWEEP_AFTER_SECONDS", default=300)
# A claim older than this belongs to a dead worker and is taken over: keep it far above EMAIL_TIMEOUT.
NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = env.int("NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS", default=600)
NOTIFICATIONS_EMAIL_MAX_RETRIES = 5
NOTIFICATIONS_RETRY_BACKOFF_SECONDS = env.int("NOTIFICATIONS_RETRY_BACKOFF_SECONDS", default=30)
# Below the broker's visibility_timeout: a retry held longer than that would be delivered twice.
NOTIFICATIONS_RETRY_BACKOFF_MAX_SECONDS = 1800
NOTIFICATIONS_BELL_POLL_SECONDS = env.int("NOTIFICATIONS_BELL_POLL_SECONDS", default=30)
CELERY_BEAT_SCHEDULE["notifications-sweep-pending-emails"] = {
    "task": "notifications.tasks.sweep_pending_emails",
    "schedule": NOTIFICATIONS_SWEEP_EVERY_SECONDS,
}

# --- offers (the marketplace: offers/services.py) --------------------------------------------------------
# Lots whose validity ended close at night (CELERY_TIMEZONE); `manage.py close_expired` does the same.
CELERY_BEAT_SCHEDULE["offers-close-expired-lots"] = {
    "task": "offers.tasks.close_expired_lots",
    "schedule": crontab(hour=0, minute=5),
}
# Misty's commission, a percent of the reward per client the owner pays the partner (offers/budget.py): the
# lot form's budget calculator adds it to the rewards. A decimal string ("10", "7.5"), 0 to 100.
try:
    PORTAL_COMMISSION_PERCENT = Decimal(env.str("PORTAL_COMMISSION_PERCENT", default="10").strip())
    _commission_ok = PORTAL_COMMISSION_PERCENT.is_finite() and 0 <= PORTAL_COMMISSION_PERCENT <= 100
except InvalidOperation:
    _commission_ok = False
if not _commission_ok:
    raise ImproperlyConfigured("PORTAL_COMMISSION_PERCENT is a percent: a number from 0 to 100, such as 10 or 7.5.")

# --- visits (visits/services.py) --------------------------------------------------------------------------
# The key of the keyed hash that stands for a client (visits/clients.py): no phone number or card is stored,
# only HMAC-SHA256(key, normalized phone or card). Each environment sets its own; production requires it.
# Changing it makes every client already counted look new again: keep it, and back it up with the database.
CLIENT_HASH_KEY = env.str("CLIENT_HASH_KEY", default="")
# How long a visit waits for its lot's row lock before answering "busy, try again" (PostgreSQL).
VISIT_LOCK_TIMEOUT_MS = env.int("VISIT_LOCK_TIMEOUT_MS", default=3000)
# Requests per API key (api/views.py), counted in the shared cache: "120/m", "10/s", "5000/h".
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/m")

# --- security headers (all environments; production adds HSTS/SSL) ----------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "cabinets.views.errors.csrf_failure"  # journaled, and the portal's translated 403
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
        "base-uri": [csp.SELF],
        "object-src": [csp.NONE],
    }
}

# --- logging -----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- portal ------------------------------------------------------------------
# True only in production settings: commands that would be dangerous there (seed_demo) refuse to run.
PORTAL_IS_PRODUCTION = False
PORTAL_DEMO_PASSWORD = "misty-demo-2026"
# Every 403/404 of the access policy is written to the audit journal (cabinets.access.deny).
PORTAL_ACCESS_DENIED_HOOK = "auditlog.hooks.access_denied"
HEALTHZ_CHECK_CACHE = False
HEALTHZ_CHECK_BROKER = False
