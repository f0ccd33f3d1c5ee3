"""Writing the audit journal (STYLE.md rule 5): services call `record()` inside their own transaction."""

from __future__ import annotations

from collections.abc import Mapping

from auditlog import events
from auditlog.context import current_origin, origin_of
from auditlog.models import AuditEvent

MASK = "***"
SECRET_MARKERS = ("password", "secret", "token", "key", "code", "totp", "recovery")


def is_secret(name) -> bool:
    name = str(name).lower()
    return any(marker in name for marker in SECRET_MARKERS)


def mask_secrets(changes):
    """A copy of `changes` where every value under a secret-looking key (at any depth) is "***".

    An (old, new) tuple becomes {"old": ..., "new": ...}, which the journal shows as two columns.
    """
    if isinstance(changes, Mapping):
        return {str(k): (MASK if is_secret(k) else mask_secrets(v)) for k, v in changes.items()}
    if isinstance(changes, tuple) and len(changes) == 2:
        return {"old": mask_secrets(changes[0]), "new": mask_secrets(changes[1])}
    if isinstance(changes, (list, tuple, set, frozenset)):
        return [mask_secrets(v) for v in changes]
    return changes


def record(
    *,
    actor,
    event: str,
    obj=None,
    project=None,
    changes: Mapping | None = None,
    request=None,
    object_text: str | None = None,
    obj_deleted: bool = False,
) -> AuditEvent:
    """Append one event to the journal, in the caller's transaction: if the change is rolled back, so is this.

    `actor` is the user who acted, or None for the system (or an anonymous visitor). `obj` is the model
    instance acted on; `project` the project it belongs to (a Project `obj` is its own project).
    `changes` maps field → (old, new) or field → value; secrets are masked. `request` gives the IP and user
    agent; without it they come from the request being served, if any. `obj_deleted=True` records the
    deletion of `obj` in this transaction: its type, id and text are kept, but a Project `obj` is not
    linked as the event's project (the event would PROTECT the row being deleted).
    """
    if not events.is_known(event):
        raise ValueError(f"unknown audit event {event!r}: register it in auditlog.events (see its docstring)")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None  # AnonymousUser
    origin = origin_of(request) if request is not None else current_origin()

    object_type = object_id = ""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk) if obj.pk is not None else ""
        if object_text is None:
            object_text = str(obj)
        if project is None and not obj_deleted and obj._meta.label_lower == "projects.project":
            project = obj

    return AuditEvent.objects.create(
        actor=actor,
        actor_role=getattr(actor, "role", "") or "",
        ip=origin.ip if origin else None,
        user_agent=origin.user_agent if origin else "",
        event=event,
        object_type=object_type,
        object_id=object_id,
        object_text=(object_text or "")[:255],
        project=project,
        changes=mask_secrets(changes or {}),
    )
