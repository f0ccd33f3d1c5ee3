"""Filters of the people lists (the list-page kit, portal/filters.py): the staff user catalog — search, role,
project, status, last activity, and the order (`o`, a whitelist: anything else is a form error, never a raw
`order_by`) — and the access-request queue."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, AccessRequest, AccessRequestStatus, Role, User, UserStatus
from portal.filters import (
    ChoiceFilter,
    PlainSelect,
    PortalFilterSet,
    SearchFilter,
    SortedFilterSet,
    choices_from,
    order_filter,
)
from projects.models import Project

ANY_STAFF = "staff"  # the role filter's "every staff role" (the dashboard's "Staff" figure links here)

ACTIVITY_TODAY, ACTIVITY_WEEK, ACTIVITY_MONTH, ACTIVITY_NEVER = "today", "7d", "30d", "never"
ACTIVITY_CHOICES = [
    (ACTIVITY_TODAY, _("Today")),
    (ACTIVITY_WEEK, _("In the last 7 days")),
    (ACTIVITY_MONTH, _("In the last 30 days")),
    (ACTIVITY_NEVER, _("Never signed in")),
]

# `o` values → the columns they order by; every order ends in the id so pages never overlap.
ORDERS = {
    "name": ("full_name",),  # with the id: the (full_name, id) index, no sort
    "email": ("email",),
    "role": ("role", "full_name"),
    "status": ("status", "full_name"),
    "last_login": ("last_login", "full_name"),
}
DEFAULT_ORDER = "name"
ORDER_CHOICES = [
    ("name", _("Name, A to Z")),
    ("-name", _("Name, Z to A")),
    ("email", _("Email, A to Z")),
    ("-email", _("Email, Z to A")),
    ("role", _("Role")),
    ("-role", _("Role, reversed")),
    ("status", _("Status")),
    ("-status", _("Status, reversed")),
    ("-last_login", _("Last activity, recent first")),
    ("last_login", _("Last activity, oldest first")),
]


class UserFilter(SortedFilterSet):
    ORDERS = ORDERS
    DEFAULT_ORDER = DEFAULT_ORDER
    # Never-signed-in people sort last by last activity either way: "recent first" should not open with
    # people who never came.
    NULLS_LAST = frozenset({"last_login"})

    q = SearchFilter(fields=["full_name", "email", "phone"], label=_("Search"))
    role = ChoiceFilter(
        label=_("Role"),
        method="filter_role",
        choices=[(ANY_STAFF, _("All staff")), *Role.choices],
        empty_label=_("All roles"),
        widget=PlainSelect,
    )
    project = ChoiceFilter(
        label=_("Project"),
        field_name="memberships__project_id",
        choices=choices_from(Project.objects.order_by("name")),
        empty_label=_("All projects"),
        widget=PlainSelect,
    )
    status = ChoiceFilter(
        label=_("Status"), choices=UserStatus.choices, empty_label=_("Any status"), widget=PlainSelect
    )
    activity = ChoiceFilter(
        label=_("Last activity"),
        method="filter_activity",
        choices=ACTIVITY_CHOICES,
        empty_label=_("Any time"),
        widget=PlainSelect,
    )
    o = order_filter(ORDER_CHOICES)

    class Meta(PortalFilterSet.Meta):
        model = User
        fields: list[str] = []

    def filter_role(self, queryset, name, value):
        if value == ANY_STAFF:
            return queryset.filter(role__in=STAFF_ROLES)
        return queryset.filter(role=value)

    def filter_activity(self, queryset, name, value):
        if value == ACTIVITY_NEVER:
            return queryset.filter(last_login__isnull=True)
        now = timezone.now()
        if value == ACTIVITY_TODAY:  # since midnight in the viewer's own time zone
            since = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        else:
            since = now - datetime.timedelta(days=7 if value == ACTIVITY_WEEK else 30)
        return queryset.filter(last_login__gte=since)


class AccessRequestFilter(PortalFilterSet):
    q = SearchFilter(fields=["name", "email", "company", "phone"], label=_("Search"))
    status = ChoiceFilter(
        label=_("Status"), choices=AccessRequestStatus.choices, empty_label=_("All"), widget=PlainSelect
    )

    class Meta(PortalFilterSet.Meta):
        model = AccessRequest
        fields: list[str] = []
