"""Forms of the notification pages (cabinets/views/notifications.py).

Fields that depend on the user are set on a per-instance copy of `base_fields` *before* the form is
built: BootstrapFormMixin validates a bound form while it initialises, so fields added afterwards
would be missing from `cleaned_data`.
"""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import StaffLevel
from portal.forms import BootstrapFormMixin


class NotificationPreferencesForm(BootstrapFormMixin, forms.Form):
    """One "email" checkbox per event that concerns the user, plus the level for staff."""

    staff_level = forms.ChoiceField(
        label=_("Email level"),
        choices=StaffLevel.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("The level comes first; the boxes below choose among the events it lets through."),
    )

    def __init__(self, *args, user, current: dict, **kwargs):
        self.base_fields = copy.deepcopy(type(self).base_fields)
        if user.is_portal_staff:
            self.base_fields["staff_level"].required = True
            self.base_fields["staff_level"].initial = current["staff_level"]
        else:
            del self.base_fields["staff_level"]
        self.event_fields = []
        for row in current["events"]:
            event_type = row["event"]
            name = self.field_name(event_type.code)
            self.base_fields[name] = forms.BooleanField(
                label=event_type.label, required=False, initial=row["email_enabled"]
            )
            self.event_fields.append((name, event_type))
        super().__init__(*args, **kwargs)

    @staticmethod
    def field_name(code: str) -> str:
        return "email__" + code.replace(".", "__")

    def event_rows(self):
        return [(self[name], event_type) for name, event_type in self.event_fields]

    def email_choices(self) -> dict[str, bool]:
        return {event_type.code: self.cleaned_data[name] for name, event_type in self.event_fields}
