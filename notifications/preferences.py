"""Who wants which event by email. In the cabinet every notification is shown; email follows these rules:

1. A blocked user gets no email.
2. An event marked `email_required` (invitation, welcome) is always emailed.
3. Otherwise the user's choice for that event, or the event's default when they never chose.
4. Staff also have a level (seed 000: "задать уровень оповещений"): all | important only | none.
   The level comes first; the per-event choices pick among what it lets through. Staff start at
   "important only": the events where someone waits for a staff action (a lot to moderate, a
   support or access request), not the informational ones (a deal completed).
"""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from notifications.events import EventType
from notifications.models import NotificationPreference, NotificationSettings, StaffLevel

DEFAULT_STAFF_LEVEL = StaffLevel.IMPORTANT


def level_lets_through(event_type: EventType, staff_level: str) -> bool:
    """Whether a staff member's email level lets `event_type` be emailed at all (before their own choice)."""
    if event_type.email_required or staff_level == StaffLevel.ALL:
        return True
    if staff_level == StaffLevel.IMPORTANT:
        return event_type.important
    return False


def levels_letting_through(event_type: EventType) -> list[str]:
    """The levels under which `event_type` can be emailed (the preferences page updates its switches by it)."""
    return [level for level in StaffLevel.values if level_lets_through(event_type, level)]


def wants_email(user, event_type: EventType, *, choice: bool | None, staff_level: str) -> bool:
    if not user.is_active:
        return False
    if event_type.email_required:
        return True
    if not (event_type.email_default if choice is None else choice):
        return False
    return not user.is_portal_staff or level_lets_through(event_type, staff_level)


def email_wanted_by(*, users: list, event_type: EventType) -> dict[int, bool]:
    """{user id: wants this event by email} for many users in at most two queries."""
    choices: dict[int, bool] = {}
    levels: dict[int, str] = {}
    if not event_type.email_required:
        ids = [u.pk for u in users if u.is_active]
        if ids:
            choices = dict(
                NotificationPreference.objects.filter(user_id__in=ids, event=event_type.code).values_list(
                    "user_id", "email_enabled"
                )
            )
        staff_ids = [u.pk for u in users if u.is_active and u.is_portal_staff]
        if staff_ids:
            levels = dict(
                NotificationSettings.objects.filter(user_id__in=staff_ids).values_list("user_id", "staff_level")
            )
    return {
        u.pk: wants_email(u, event_type, choice=choices.get(u.pk), staff_level=levels.get(u.pk, DEFAULT_STAFF_LEVEL))
        for u in users
    }


def describe_preference_change(event: str, object_type: str, key: str):
    """The journal's names for what `preferences_update` records (auditlog.changes): "email:<event code>" is
    that event's email switch, "staff_level" the email level."""
    from auditlog.changes import FieldLabel
    from notifications import events

    if event != events.PREFERENCES_UPDATED:
        return None
    if key.startswith("email:"):
        return FieldLabel(_("Email: %(event)s") % {"event": events.label_for(key.removeprefix("email:"))})
    if key == "staff_level":
        field = NotificationSettings._meta.get_field("staff_level")
        return FieldLabel(capfirst(str(field.verbose_name)), dict(StaffLevel.choices))
    return None
