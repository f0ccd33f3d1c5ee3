"""Filters of the notification lists (the list-page kit, portal/filters.py)."""

from django.utils.translation import gettext_lazy as _

from notifications import events
from notifications.models import EmailState, Notification
from portal.filters import ChoiceFilter, PlainSelect, PortalFilterSet


class NotificationFilter(PortalFilterSet):
    """A person's own notifications: read or unread, and the type (only the types that can reach them)."""

    state = ChoiceFilter(
        label=_("Show"),
        method="filter_state",
        empty_label=_("All"),
        widget=PlainSelect,
        choices=[("unread", _("Unread")), ("read", _("Read"))],
    )
    event = ChoiceFilter(label=_("Type"), empty_label=_("All types"), widget=PlainSelect)

    class Meta(PortalFilterSet.Meta):
        model = Notification
        fields: list[str] = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["event"].extra["choices"] = [(e.code, e.label) for e in events.events_for(user)]

    def filter_state(self, queryset, name, value):
        return queryset.filter(read_at__isnull=(value == "unread"))


class EmailDeliveryFilter(PortalFilterSet):
    state = ChoiceFilter(
        label=_("State"),
        field_name="email_state",
        empty_label=_("Pending, sending and failed"),
        widget=PlainSelect,
        choices=[
            (EmailState.FAILED, _("Failed")),
            (EmailState.PENDING, _("Pending")),
            (EmailState.SENDING, _("Sending")),
        ],
    )

    class Meta(PortalFilterSet.Meta):
        model = Notification
        fields: list[str] = []
