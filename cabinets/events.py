"""The help center's notification event (the help center is part of the cabinets, SPEC layout).
Registered in `CabinetsConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from notifications.events import STAFF, EventType

AUDIT_EVENTS: dict = {}

SUPPORT_REQUESTED = EventType(
    "cabinets.support.requested",
    _("Support request"),
    STAFF,
    "support-requested",
    context_keys=("subject", "requester_name", "requester_email"),
    important=True,
)

NOTIFICATION_EVENTS = (SUPPORT_REQUESTED,)
