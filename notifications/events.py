"""The registry of notification events: every event the portal can notify about is declared here once.

Later issues only call `notify(recipients=..., event="offers.lot.approved", context={...}, link=...)`;
what the event is called, who it is for, whether staff count it as important and whether it is emailed
by default all live in this file, so the preferences page and the email templates follow from it.

Each event has four templates (`template` is the name):
  notifications/email/<name>-subject.txt   the email subject, also the in-app title
  notifications/email/<name>-body.txt      the plain-text email
  notifications/email/<name>-body.html     the HTML email (extends notifications/email/base-body.html)
  notifications/inapp/<name>.txt           the one-paragraph text shown in the notification list

`context_keys` are the keys a caller must pass. Values must be plain data (str, int, Decimal, date,
datetime, lists/dicts of them): the email is rendered when it is sent, possibly in another process, so
the context is stored with the notification (see `notifications.context`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Audience(enum.StrEnum):
    STAFF = "staff"
    REPRESENTATIVE = "representative"


BOTH = frozenset({Audience.STAFF, Audience.REPRESENTATIVE})


@dataclass(frozen=True)
class EventType:
    code: str
    label: Promise | str
    audience: frozenset[Audience]
    template: str
    context_keys: tuple[str, ...] = ()
    # For staff: "important only" emails just these (someone waits for a staff action).
    important: bool = False
    email_default: bool = True
    # Emailed whatever the preferences say (a new user has no preferences and no other way to log in).
    email_required: bool = False

    @property
    def concerns_representatives(self) -> bool:
        return Audience.REPRESENTATIVE in self.audience

    @property
    def configurable(self) -> bool:
        return not self.email_required

    def concerns(self, user) -> bool:
        audience = Audience.STAFF if user.is_portal_staff else Audience.REPRESENTATIVE
        return audience in self.audience

    def missing_context(self, context: dict) -> list[str]:
        return [key for key in self.context_keys if key not in context]


_REGISTRY: dict[str, EventType] = {}


def register(event_type: EventType) -> EventType:
    if event_type.code in _REGISTRY:
        raise ValueError(f"notification event {event_type.code!r} is registered twice")
    _REGISTRY[event_type.code] = event_type
    return event_type


def get(code: str) -> EventType:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(f"unknown notification event {code!r}; register it in notifications/events.py") from None


def label_for(code: str) -> str:
    """The event's label, or its code if it is no longer registered (history outlives the registry)."""
    event_type = _REGISTRY.get(code)
    return str(event_type.label) if event_type else code


def all_events() -> list[EventType]:
    return list(_REGISTRY.values())


def events_for(user, *, configurable_only: bool = False) -> list[EventType]:
    """The events that may reach `user` (the preferences page and the list's event filter)."""
    return [e for e in _REGISTRY.values() if e.concerns(user) and (e.configurable or not configurable_only)]


STAFF = frozenset({Audience.STAFF})
REPRESENTATIVES = frozenset({Audience.REPRESENTATIVE})

# --- lots ------------------------------------------------------------------------------------------
LOT_SUBMITTED = register(EventType(
    "offers.lot.submitted", _("Lot submitted for moderation"), STAFF, "lot-submitted",
    context_keys=("lot_title", "project_name"), important=True,
))
LOT_APPROVED = register(EventType(
    "offers.lot.approved", _("Lot approved"), REPRESENTATIVES, "lot-approved",
    context_keys=("lot_title",),
))
LOT_CHANGES_REQUESTED = register(EventType(
    "offers.lot.changes_requested", _("Changes requested to a lot"), REPRESENTATIVES, "lot-changes-requested",
    context_keys=("lot_title", "comment"),
))
LOT_REJECTED = register(EventType(
    "offers.lot.rejected", _("Lot rejected"), REPRESENTATIVES, "lot-rejected",
    context_keys=("lot_title", "reason"),
))
# --- responses -------------------------------------------------------------------------------------
RESPONSE_RECEIVED = register(EventType(
    "offers.response.received", _("Response to your lot received"), REPRESENTATIVES, "response-received",
    context_keys=("lot_title", "partner_name"),
))
RESPONSE_ACCEPTED = register(EventType(
    "offers.response.accepted", _("Your response accepted"), REPRESENTATIVES, "response-accepted",
    context_keys=("lot_title", "owner_name"),
))
RESPONSE_REJECTED = register(EventType(
    "offers.response.rejected", _("Your response rejected"), REPRESENTATIVES, "response-rejected",
    context_keys=("lot_title", "owner_name", "reason"),
))
# --- deals -----------------------------------------------------------------------------------------
DEAL_MESSAGE = register(EventType(
    "offers.deal.message", _("New message in a deal"), REPRESENTATIVES, "deal-message",
    context_keys=("deal_title", "sender_name", "excerpt"),
))
DEAL_COMPLETED = register(EventType(
    "offers.deal.completed", _("Deal completed"), BOTH, "deal-completed",
    context_keys=("deal_title", "owner_name", "partner_name"),
))
PAYMENT_RECORDED = register(EventType(
    "offers.payment.recorded", _("Payment recorded"), REPRESENTATIVES, "payment-recorded",
    context_keys=("payer_name", "payee_name", "amount", "paid_at"),
))
# --- reports, help ---------------------------------------------------------------------------------
REPORT_UPLOADED = register(EventType(
    "reports.report.uploaded", _("New report uploaded"), REPRESENTATIVES, "report-uploaded",
    context_keys=("report_title", "project_name"),
))
SUPPORT_REQUESTED = register(EventType(
    "cabinets.support.requested", _("Support request"), STAFF, "support-requested",
    context_keys=("subject", "requester_name", "requester_email"), important=True,
))
# --- people ----------------------------------------------------------------------------------------
USER_INVITED = register(EventType(
    "cabinets.user.invited", _("Invitation to the portal"), BOTH, "user-invited",
    context_keys=("inviter_name", "expires_at"), email_required=True,
))
USER_WELCOME = register(EventType(
    "cabinets.user.welcome", _("Welcome"), BOTH, "user-welcome", email_required=True,
))
ACCESS_REQUESTED = register(EventType(
    "cabinets.access.requested", _("Access request"), STAFF, "access-requested",
    context_keys=("requester_name", "requester_email", "project_name", "message"), important=True,
))
