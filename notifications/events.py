"""The registry of notification events: every event the portal can notify about is declared here once.

Services call `notify(recipients=..., event="offers.lot.approved", context={...}, link=...)`. Each app
declares its events once, as `EventType`s in its own `<app>/events.py` (`NOTIFICATION_EVENTS = (...)`),
and registers them in its `AppConfig.ready()` with `register_all`: what the event is called, who it is
for, whether staff count it as important and whether it is emailed by default live there, so the
preferences page and the email templates follow from it.

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
STAFF = frozenset({Audience.STAFF})
REPRESENTATIVES = frozenset({Audience.REPRESENTATIVE})


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
    # A link that is a secret (a one-time set-password link) is never stored: the email's link is made by
    # this function (a dotted path, `f(recipient) -> path or URL`) when the email is built, at each attempt.
    email_link: str = ""

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


def register_all(event_types) -> None:
    for event_type in event_types:
        register(event_type)


def get(code: str) -> EventType:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(f"unknown notification event {code!r}; register it in its app's events.py") from None


def label_for(code: str) -> str:
    """The event's label, or its code if it is no longer registered (history outlives the registry)."""
    event_type = _REGISTRY.get(code)
    return str(event_type.label) if event_type else code


def all_events() -> list[EventType]:
    return list(_REGISTRY.values())


def events_for(user, *, configurable_only: bool = False) -> list[EventType]:
    """The events that may reach `user` (the preferences page and the list's event filter)."""
    return [e for e in _REGISTRY.values() if e.concerns(user) and (e.configurable or not configurable_only)]


# This app's own audit codes.
EMAILS_RESENT = "notifications.email.resent"
PREFERENCES_UPDATED = "notifications.preferences.updated"

AUDIT_EVENTS = {
    EMAILS_RESENT: _("Failed emails queued again"),
    PREFERENCES_UPDATED: _("Notification preferences changed"),
}
