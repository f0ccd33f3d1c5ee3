"""Reading the audit journal: only people with the VIEW_AUDIT capability see it (STYLE.md rule 2)."""

from __future__ import annotations

from accounts.capabilities import Capability, has_capability
from auditlog.filters import AuditEventFilter
from auditlog.models import AuditEvent


def _all_events():
    return AuditEvent.objects.select_related("actor", "project")


def _visible_to(user):
    return _all_events() if has_capability(user, Capability.VIEW_AUDIT) else AuditEvent.objects.none()


def audit_event_filterset(*, user, data) -> AuditEventFilter:
    """The bound filter (its form for the page) over the events `user` may see; `.qs` is the filtered list,
    empty when a filter is invalid (the form says why)."""
    return AuditEventFilter(data, queryset=_visible_to(user))


def audit_event_list_for_operations(*, filters: dict | None = None):
    """Every event, for `manage.py export_audit` (operations with shell access, no signed-in user)."""
    return AuditEventFilter(filters or {}, queryset=_all_events()).qs.order_by("-created_at", "-id")


def audit_event_get(*, user, pk: int) -> AuditEvent | None:
    return _visible_to(user).filter(pk=pk).first()


def audit_events_about_user(*, user, subject, limit: int = 20):
    """The newest events `subject` did or that were done to `subject` (a user's card), for `user` who may
    read the journal; both halves of the OR walk an index ending in (created_at, id)."""
    from django.db.models import Q

    about = Q(actor=subject) | Q(object_type=subject._meta.label_lower, object_id=str(subject.pk))
    return list(_visible_to(user).filter(about).order_by("-created_at", "-id")[:limit])
