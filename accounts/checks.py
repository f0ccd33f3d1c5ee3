"""System checks for settings the access policy depends on."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def rate_limit_store(app_configs, **kwargs):
    """allauth keeps login rate limits and TOTP replay protection in the cache: a dummy cache disables both."""
    problems = []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith("DummyCache"):
        problems.append(
            Error(
                "The default cache is DummyCache: login rate limits and TOTP replay protection would be off.",
                hint="Use Redis (production) or LocMemCache (local).",
                id="portal.E001",
            )
        )
    if not getattr(settings, "ACCOUNT_RATE_LIMITS_ENABLED", True):
        problems.append(Warning("allauth rate limits are disabled.", id="portal.W001"))
    return problems


@register()
def mfa_encryption_key(app_configs, **kwargs):
    """TOTP secrets are encrypted with MFA_ENCRYPTION_KEY (accounts.mfa): a bad key would break every TOTP login."""
    from django.core.exceptions import ImproperlyConfigured

    from accounts.mfa import cipher_from_setting

    try:
        cipher_from_setting(getattr(settings, "MFA_ENCRYPTION_KEY", ""))
    except ImproperlyConfigured as error:
        return [
            Error(
                str(error),
                hint="Generate one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'",
                id="portal.E002",
            )
        ]
    return []
