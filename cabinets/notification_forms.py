"""Forms of the notification pages (cabinets/views/notifications.py).

Fields that depend on the user are set on a per-instance copy of `base_fields` *before* the form is
built: BootstrapFormMixin validates a bound form while it initialises, so fields added afterwards
would be missing from `cleaned_data`.
"""

import copy
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.events import EventType
from notifications.models import StaffLevel
from notifications.preferences import level_lets_through, levels_letting_through
from portal.forms import BootstrapFormMixin


@dataclass(frozen=True)
class EventRow:
    field: forms.BoundField
    event: EventType
    blocked: bool  # the level shown does not let this event be emailed: the switch is off and disabled


class NotificationPreferencesForm(BootstrapFormMixin, forms.Form):
    """One "email" switch per event that concerns the user, plus the level for staff.

    For staff the switches show what will really be sent: an event the level does not let through is off,
    disabled and marked "not sent at this level" — its own choice is kept for when the level lets it through
    again (static/portal/notification-preferences.js does the same live when the level changes, and keeps
    `shown_level`, the level the switches were shown for, in step). On saving, only the switches of events
    that `shown_level` let through are read; the others keep their stored choice, so a disabled switch, which
    the browser does not send, is never taken for "off"."""

    staff_level = forms.ChoiceField(
        label=_("Email level"),
        choices=StaffLevel.choices,
        widget=forms.RadioSelect(attrs={"data-email-level": ""}),
        required=False,
        help_text=_("The level comes first; the switches below choose among the events it lets through."),
    )
    # Read in __init__ (`_shown_level`): anything but a level means the stored level.
    shown_level = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, user, current: dict, **kwargs):
        self.base_fields = copy.deepcopy(type(self).base_fields)
        self.current = current
        self.shown = None
        if user.is_portal_staff:
            self.shown = self._shown_level(args[0] if args else kwargs.get("data"), current["staff_level"])
            self.base_fields["staff_level"].required = True
            self.base_fields["staff_level"].initial = current["staff_level"]
            self.base_fields["shown_level"].initial = self.shown
        else:
            del self.base_fields["staff_level"]
            del self.base_fields["shown_level"]
        self.event_fields = []
        for row in current["events"]:
            event_type = row["event"]
            name = self.field_name(event_type.code)
            blocked = self.shown is not None and not level_lets_through(event_type, self.shown)
            attrs = {"data-choice": "1" if row["email_enabled"] else "0"}
            if self.shown is not None:
                attrs["data-email-levels"] = " ".join(levels_letting_through(event_type))
            self.base_fields[name] = forms.BooleanField(
                label=event_type.label,
                required=False,
                initial=row["email_enabled"] and not blocked,
                disabled=blocked,
                widget=forms.CheckboxInput(attrs=attrs),
            )
            self.event_fields.append((name, event_type, blocked))
        super().__init__(*args, **kwargs)

    @staticmethod
    def _shown_level(data, stored: str) -> str:
        posted = data.get("shown_level") if data is not None else None
        return posted if posted in StaffLevel.values else stored

    @staticmethod
    def field_name(code: str) -> str:
        return "email__" + code.replace(".", "__")

    def event_rows(self) -> list[EventRow]:
        return [EventRow(self[name], event_type, blocked) for name, event_type, blocked in self.event_fields]

    def email_choices(self) -> dict[str, bool]:
        stored = {row["event"].code: row["email_enabled"] for row in self.current["events"]}
        return {
            event_type.code: stored[event_type.code] if blocked else self.cleaned_data[name]
            for name, event_type, blocked in self.event_fields
        }
