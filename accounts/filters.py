"""Filters of the people lists (the list-page kit, portal/filters.py): the staff user catalog — search, role,
project, status, last activity, and the order (`o`, a whitelist: anything else is a form error, never a raw
`order_by`) — and the access-request queue."""

import datetime

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, AccessRequest, AccessRequestStatus, Role, User, UserStatus
from portal.filters import ChoiceFilter, PlainSelect, PortalFilterSet, SearchFilter, choices_from
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


def order_by_for(value: str) -> list:
    """The ORDER BY of a whitelisted `o` value ("-" for descending). Never-signed-in people sort last
    by last activity either way: "recent first" should not open with people who never came."""
    descending = value.startswith("-")
    columns = ORDERS[value.lstrip("-")]
    order = []
    for column in columns:
        expression = F(column)
        if column == "last_login":
            expression = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        else:
            expression = expression.desc() if descending else expression.asc()
        order.append(expression)
    order.append(F("id").desc() if descending else F("id").asc())
    return order


class UserFilter(PortalFilterSet):
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
    o = ChoiceFilter(label=_("Sort"), method="keep", choices=ORDER_CHOICES, empty_label=None, widget=PlainSelect)

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

    def keep(self, queryset, name, value):
        return queryset  # the order is applied last, in `qs`, so it holds without `o` too

    @property
    def is_filtered(self) -> bool:
        # The order narrows nothing: with only `o` given, an empty list means "nobody yet".
        if not self.is_bound:
            return False
        return any(value not in ("", None) for key, value in self.data.items() if key in self.filters and key != "o")

    @property
    def chosen_order(self) -> str:
        if self.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get("o") or DEFAULT_ORDER
        return DEFAULT_ORDER

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self._qs = super().qs.order_by(*order_by_for(self.chosen_order))
        return self._qs


class AccessRequestFilter(PortalFilterSet):
    q = SearchFilter(fields=["name", "email", "company", "phone"], label=_("Search"))
    status = ChoiceFilter(
        label=_("Status"), choices=AccessRequestStatus.choices, empty_label=_("All"), widget=PlainSelect
    )

    class Meta(PortalFilterSet.Meta):
        model = AccessRequest
        fields: list[str] = []
