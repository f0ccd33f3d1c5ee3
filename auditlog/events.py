"""The catalogue of audit event codes: dotted code → translatable label.

The journal's event filter lists exactly these, and `record()` refuses a code that is not here, so a typo
fails a test instead of creating an event nobody can filter for. Each app declares its codes in its own
`<app>/events.py` (`AUDIT_EVENTS = {code: label}`) and registers them in its `AppConfig.ready()`:

    def ready(self):
        from auditlog.events import register_all
        from offers import events
        register_all(events.AUDIT_EVENTS)

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


def register_all(codes: dict) -> None:
    for code, label in codes.items():
        register(code, label)


def is_known(code: str) -> bool:
    return code in _CATALOGUE


def label_for(code: str) -> str:
    return str(_CATALOGUE.get(code, code))


def choices() -> list[tuple[str, str]]:
    """(code, label) sorted by code, so events of one app stay together in the filter."""
    return [(code, f"{label} ({code})") for code, label in sorted(_CATALOGUE.items())]


# The journal's own codes, and those of the shared plumbing (the access policy, exports, downloads).
ACCESS_FORBIDDEN = "access.forbidden"  # auditlog.hooks.access_denied
ACCESS_NOT_FOUND = "access.not_found"
ACCESS_CSRF_FAILED = "access.csrf_failed"  # auditlog.hooks.request_refused, from the portal's error views
ACCESS_RATE_LIMITED = "access.rate_limited"
AUDIT_EXPORTED = "auditlog.exported"
EXPORTED = "exports.exported"
FILE_DOWNLOADED = "files.downloaded"

AUDIT_EVENTS = {
    ACCESS_FORBIDDEN: _("Access denied (403)"),
    ACCESS_NOT_FOUND: _("Access denied (404)"),
    ACCESS_CSRF_FAILED: _("Request refused: CSRF check failed"),
    ACCESS_RATE_LIMITED: _("Request refused: too many requests (429)"),
    AUDIT_EXPORTED: _("Audit journal exported"),
    EXPORTED: _("Data exported"),
    FILE_DOWNLOADED: _("File downloaded"),
}
