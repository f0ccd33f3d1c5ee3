"""The audit journal: `AuditEvent` and the one function that writes it.

    from auditlog import record
    record(actor=user, event="offers.lot.approved", obj=lot, project=lot.project, changes={"status": (old, new)})

Import-light on purpose: this module is imported while the app registry loads, so `record` forwards to
`auditlog.services.record` at call time. Event codes are registered in `auditlog.events`.
"""


def record(**kwargs):
    """See `auditlog.services.record` (keyword-only: actor, event, obj, project, changes, request, object_text)."""
    from auditlog.services import record as _record

    return _record(**kwargs)
