"""Filters of the overview table (the list-page kit, portal/filters.py): a project's cabinet and the staff page.

A row is one interaction between two projects — a response, and the deal it became once accepted
(`offers/overview.py`). Both tables filter by direction, status, counterpart and the period the interaction
started in, and sort by a whitelisted `o`. The direction is seen from a project: the cabinet's own one, or
on the staff page the project chosen in its "project" filter.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from offers.models import DealStatus, Lot, Response, ResponseStatus
from portal.filters import (
    ChoiceFilter,
    CuratorScope,
    DayFilter,
    FilterForm,
    PlainSelect,
    PortalFilterSet,
    SortedFilterSet,
    choices_from,
    order_filter,
    scope_filter,
)
from projects.models import Project

# Seen from a project: another project works on our lot (we pay it), or we work on another's lot (we earn).
INCOMING, OUTGOING = "incoming", "outgoing"
DIRECTION_CHOICES = [
    (INCOMING, pgettext_lazy("overview direction", "Incoming: partners on our lots")),
    (OUTGOING, pgettext_lazy("overview direction", "Outgoing: we work on others' lots")),
]
DIRECTION_LABELS = {
    INCOMING: pgettext_lazy("overview direction", "Incoming"),
    OUTGOING: pgettext_lazy("overview direction", "Outgoing"),
}

# The status of an interaction: its response's until accepted, then its deal's. The values of both choices
# differ, so one column holds them all.
DEAL_STATES = frozenset(DealStatus.values)
STATUS_CHOICES = [
    (ResponseStatus.PENDING.value, ResponseStatus.PENDING.label),
    (DealStatus.ACTIVE.value, pgettext_lazy("overview status", "Deal active")),
    (DealStatus.COMPLETED.value, pgettext_lazy("overview status", "Deal completed")),
    (DealStatus.CANCELLED.value, pgettext_lazy("overview status", "Deal cancelled")),
    (ResponseStatus.REJECTED.value, ResponseStatus.REJECTED.label),
    (ResponseStatus.WITHDRAWN.value, ResponseStatus.WITHDRAWN.label),
]
# What still goes on between two projects: "active interactions".
LIVE = Q(status=ResponseStatus.PENDING) | Q(status=ResponseStatus.ACCEPTED, deal__status=DealStatus.ACTIVE)


# `o` values → the columns (annotations of `offers.overview`) they order by; the id is appended.
ORDERS = {
    "started": ("created_at",),
    "direction": ("direction",),
    "lot": ("lot__title",),
    "counterpart": ("counterpart_name",),
    "owner": ("lot__project__name",),
    "partner": ("project__name",),
    "status": ("state",),
    "reward": ("reward",),
}
DEFAULT_ORDER = "-started"
_COMMON_ORDERS = [
    ("-started", _("Newest first")),
    ("started", _("Oldest first")),
    ("lot", _("Lot, A to Z")),
    ("-lot", _("Lot, Z to A")),
    ("status", _("Status")),
    ("-status", _("Status, reversed")),
    ("-reward", _("Reward, highest first")),
    ("reward", _("Reward, lowest first")),
]
CABINET_ORDER_CHOICES = [
    *_COMMON_ORDERS,
    ("direction", _("Incoming first")),
    ("-direction", _("Outgoing first")),
    ("counterpart", _("Counterpart, A to Z")),
    ("-counterpart", _("Counterpart, Z to A")),
]
STAFF_ORDER_CHOICES = [
    *_COMMON_ORDERS,
    ("owner", _("Lot owner, A to Z")),
    ("-owner", _("Lot owner, Z to A")),
    ("partner", _("Partner, A to Z")),
    ("-partner", _("Partner, Z to A")),
]


def state_labeler():
    """`label(row)`: a row's status in the reader's language, translated once per page or export. A pending
    response to the viewpoint's own lot says whose turn it is ("Waiting for your answer"), as the responses
    page does; the lot owner's side reads "Waiting for the owner"."""
    states = {key: str(label) for key, label in STATUS_CHOICES}
    your_answer = str(_("Waiting for your answer"))

    def label(row) -> str:
        if row.state == ResponseStatus.PENDING and getattr(row, "direction", "") == INCOMING:
            return your_answer
        return states.get(row.state, row.state)

    return label


def met_projects(project):
    """Choices of the projects `project` has met: it responded to their lots or they to its lots (a callable:
    read when the form is built, in one query)."""
    theirs = Response.objects.filter(lot__project=project).values("project_id")
    ours = Response.objects.filter(project=project).values("lot__project_id")
    return choices_from(Project.objects.filter(Q(pk__in=theirs) | Q(pk__in=ours)).order_by("name"))


def between(project_id, counterpart_id) -> Q:
    """Interactions of two projects, either on the lot of one or of the other."""
    return Q(lot__project_id=project_id, project_id=counterpart_id) | Q(
        lot__project_id=counterpart_id, project_id=project_id
    )


def involving(project_id) -> Q:
    """Either side is the project: `lot_id IN (its lots)` rather than a join, so each side reads an index."""
    return Q(lot__in=Lot.objects.filter(project_id=project_id).values("pk")) | Q(project_id=project_id)


class _OverviewFilter(SortedFilterSet):
    ORDERS = ORDERS
    DEFAULT_ORDER = DEFAULT_ORDER

    direction = ChoiceFilter(
        label=_("Direction"),
        choices=DIRECTION_CHOICES,
        empty_label=_("Both directions"),
        method="filter_direction",
        widget=PlainSelect,
    )
    status = ChoiceFilter(
        label=_("Status"),
        choices=STATUS_CHOICES,
        empty_label=_("Any status"),
        method="filter_status",
        widget=PlainSelect,
    )
    date_from = DayFilter(label=_("Started from"), field_name="created_at", since=True)
    date_to = DayFilter(label=_("Started to"), field_name="created_at", since=False)

    class Meta(PortalFilterSet.Meta):
        model = Response
        fields: list[str] = []

    # The form's order: whose table, then who with, then what and when; the order last.
    FIELD_ORDER = ("scope", "project", "direction", "counterpart", "status", "date_from", "date_to", "o")

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns  # offers.overview.columns, seen from the cabinet's project when there is one
        self.filters = {name: self.filters[name] for name in self.FIELD_ORDER if name in self.filters}

    def with_columns(self, queryset):
        return self.columns(queryset)

    def viewpoint(self):
        """The id of the project the direction and the counterpart are seen from, or None."""
        raise NotImplementedError

    def filter_direction(self, queryset, name, value):
        project_id = self.viewpoint()
        if project_id is None:
            return queryset  # the form refused it already (staff: no project chosen)
        # By the indexed columns, not the annotation: `lot_by_project` / `response_by_partner`.
        if value == INCOMING:
            return queryset.filter(lot__project_id=project_id)
        return queryset.filter(project_id=project_id)

    def filter_status(self, queryset, name, value):
        if value in DEAL_STATES:
            return queryset.filter(status=ResponseStatus.ACCEPTED, deal__status=value)
        return queryset.filter(status=value)

    @property
    def is_filtered(self) -> bool:
        """The order narrows nothing; an invalid value (even of the order) is a filter to fix."""
        return (self.is_bound and not self.is_valid()) or super().is_filtered


class OverviewFilter(_OverviewFilter):
    """A project's cabinet: its interactions on both sides."""

    counterpart = ChoiceFilter(
        label=_("Counterpart"),
        choices=list,  # the projects met, set per project in __init__
        empty_label=_("All counterparts"),
        method="filter_counterpart",
        widget=PlainSelect,
    )
    o = order_filter(CABINET_ORDER_CHOICES)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.filters["counterpart"].extra["choices"] = met_projects(project)

    def viewpoint(self):
        return self.project.pk

    def filter_counterpart(self, queryset, name, value):
        return queryset.filter(between(self.project.pk, int(value)))


class StaffOverviewForm(FilterForm):
    def clean(self):
        data = super().clean()
        if data.get("direction") and not data.get("project"):
            self.add_error("direction", _("Choose a project: the direction is seen from it."))
        return data


class StaffOverviewFilter(CuratorScope, _OverviewFilter):
    """Every project's interactions, for staff; a curator's page opens on their own projects (`scope`)."""

    scope = scope_filter()
    project = ChoiceFilter(
        label=_("Project"), choices=list, empty_label=_("All projects"), method="filter_project", widget=PlainSelect
    )
    counterpart = ChoiceFilter(
        label=_("Counterpart"),
        choices=list,
        empty_label=_("All counterparts"),
        method="filter_counterpart",
        widget=PlainSelect,
    )
    o = order_filter(STAFF_ORDER_CHOICES)

    class Meta(_OverviewFilter.Meta):
        form = StaffOverviewForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One list of projects for both selects: read once when the form is built.
        projects = choices_from(Project.objects.order_by("name"))
        cache = []

        def shared():
            if not cache:
                cache.append(projects())
            return cache[0]

        self.filters["project"].extra["choices"] = shared
        self.filters["counterpart"].extra["choices"] = shared

    def viewpoint(self):
        value = self.form.cleaned_data.get("project") if hasattr(self.form, "cleaned_data") else None
        return int(value) if value else None

    def of_projects(self, ids) -> Q:
        return Q(lot__project_id__in=ids) | Q(project_id__in=ids)

    def filter_project(self, queryset, name, value):
        return queryset.filter(involving(int(value)))

    def filter_counterpart(self, queryset, name, value):
        project_id = self.viewpoint()
        if project_id is None:
            return queryset.filter(involving(int(value)))
        return queryset.filter(between(project_id, int(value)))
