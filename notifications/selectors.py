"""What the notification pages show, always limited to what the user may see (STYLE.md rule 2)."""

from __future__ import annotations

from django.db.models import Count

from accounts.capabilities import Capability, has_capability
from notifications import events
from notifications.filters import EmailDeliveryFilter, NotificationFilter
from notifications.models import (
    OPEN_EMAIL_STATES,
    EmailState,
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from notifications.preferences import DEFAULT_STAFF_LEVEL

UNREAD_CAP = 100  # the bell shows "99+" beyond this; counting further would cost without telling more


def notification_filterset(*, user, data) -> NotificationFilter:
    """The user's own notifications, newest first, bound to the list's filter (state, type)."""
    # With `context`: the list renders each text again in the reader's language from it.
    notifications = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    return NotificationFilter(data, queryset=notifications, user=user)


def notification_get(*, user, pk: int) -> Notification | None:
    """Someone else's notification does not exist for `user`."""
    return Notification.objects.filter(recipient=user, pk=pk).first()


def unread_count(*, user, cap: int = UNREAD_CAP) -> int:
    """One indexed query, bounded: counts at most `cap` rows."""
    if not getattr(user, "is_authenticated", False):
        return 0
    # No ordering: the bounded count reads the partial unread index instead of sorting (0.7 → 0.2 ms).
    return Notification.objects.filter(recipient=user, read_at__isnull=True).order_by()[:cap].count()


def email_preferences(*, user) -> dict:
    """The preferences page: each configurable event with the user's current choice, and the staff level."""
    choices = dict(NotificationPreference.objects.filter(user=user).values_list("event", "email_enabled"))
    rows = [
        {"event": e, "email_enabled": choices.get(e.code, e.email_default)}
        for e in events.events_for(user, configurable_only=True)
    ]
    level = None
    if user.is_portal_staff:
        level = NotificationSettings.objects.filter(user=user).values_list("staff_level", flat=True).first()
        level = level or DEFAULT_STAFF_LEVEL
    return {"events": rows, "staff_level": level}


def email_delivery_filterset(*, user, data) -> EmailDeliveryFilter:
    """Emails still in play (pending, sending, failed) for the staff "Email delivery" page."""
    if not has_capability(user, Capability.USE_STAFF_CABINET):
        emails = Notification.objects.none()
    else:
        emails = (
            Notification.objects.filter(email_state__in=list(OPEN_EMAIL_STATES))
            .select_related("recipient")
            .only(
                "created_at",
                "title",
                "event",
                "email_state",
                "email_due_at",
                "email_attempts",
                "email_last_error",
                "recipient",
                "recipient__email",
            )
            .order_by("-created_at", "-id")
        )
    return EmailDeliveryFilter(data, queryset=emails)


def email_delivery_counts(*, user) -> dict[str, int]:
    if not has_capability(user, Capability.USE_STAFF_CABINET):
        return {}
    counts = dict(
        Notification.objects.filter(email_state__in=OPEN_EMAIL_STATES)
        .values_list("email_state")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {state: counts.get(state, 0) for state in (EmailState.PENDING, EmailState.SENDING, EmailState.FAILED)}
