"""The catalogue of audit event codes: dotted code → translatable label.

The journal's event filter lists exactly these, and `record()` refuses a code that is not here, so a typo
fails a test instead of creating an event nobody can filter for. An app adds its codes in its
`AppConfig.ready()`:

    from auditlog.events import register
    register("offers.lot.approved", _("Lot approved"))

Codes are `<app>.<entity>.<verb in past tense>` (or `<app>.<verb>`), lower case.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

CODE_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")

_CATALOGUE: dict[str, object] = {}


def register(code: str, label) -> None:
    if not CODE_RE.match(code):
        raise ValueError(f"audit event code {code!r} must be dotted lower-case words, e.g. 'offers.lot.approved'")
    _CATALOGUE[code] = label


def is_known(code: str) -> bool:
    return code in _CATALOGUE


def label_for(code: str) -> str:
    return str(_CATALOGUE.get(code, code))


def choices() -> list[tuple[str, str]]:
    """(code, label) sorted by code, so events of one app stay together in the filter."""
    return [(code, f"{label} ({code})") for code, label in sorted(_CATALOGUE.items())]


# Sign-in and account security (recorded by auditlog.receivers from Django/allauth signals).
LOGIN = "accounts.login"
LOGOUT = "accounts.logout"
LOGIN_FAILED = "accounts.login_failed"
PASSWORD_CHANGED = "accounts.password.changed"
PASSWORD_SET = "accounts.password.set"
PASSWORD_RESET = "accounts.password.reset"
TWO_FACTOR_ENABLED = "accounts.2fa.enabled"
TWO_FACTOR_DISABLED = "accounts.2fa.disabled"
RECOVERY_CODES_GENERATED = "accounts.2fa.recovery_codes_generated"
# Denials by the access policy (auditlog.hooks.access_denied).
ACCESS_FORBIDDEN = "access.forbidden"
ACCESS_NOT_FOUND = "access.not_found"
# Exports and downloads.
AUDIT_EXPORTED = "auditlog.exported"
EXPORTED = "exports.exported"
FILE_DOWNLOADED = "files.downloaded"
# People (cabinets.services).
USER_PROFILE_UPDATED = "cabinets.user.profile_updated"
USER_LANGUAGE_CHANGED = "cabinets.user.language_changed"
USER_BLOCKED = "cabinets.user.blocked"
USER_UNBLOCKED = "cabinets.user.unblocked"

for _code, _label in {
    LOGIN: _("Signed in"),
    LOGOUT: _("Signed out"),
    LOGIN_FAILED: _("Failed sign-in"),
    PASSWORD_CHANGED: _("Password changed"),
    PASSWORD_SET: _("Password set"),
    PASSWORD_RESET: _("Password reset"),
    TWO_FACTOR_ENABLED: _("Two-factor authentication enabled"),
    TWO_FACTOR_DISABLED: _("Two-factor authentication disabled"),
    RECOVERY_CODES_GENERATED: _("Recovery codes generated"),
    ACCESS_FORBIDDEN: _("Access denied (403)"),
    ACCESS_NOT_FOUND: _("Access denied (404)"),
    AUDIT_EXPORTED: _("Audit journal exported"),
    EXPORTED: _("Data exported"),
    FILE_DOWNLOADED: _("File downloaded"),
    USER_PROFILE_UPDATED: _("Profile updated"),
    USER_LANGUAGE_CHANGED: _("Language changed"),
    USER_BLOCKED: _("User blocked"),
    USER_UNBLOCKED: _("User unblocked"),
}.items():
    register(_code, _label)
