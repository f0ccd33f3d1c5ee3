"""Filters of the staff moderation pages (the list-page kit, portal/filters.py): the pool of every lot, the
moderation queue and every deal. A module of its own beside the marketplace's filters, so each area's filters
stay apart.

The pool filters by status, project, the project's category, the period the lot was created in, a curator
(a curator sees "my projects" first among them) and a search in the title, and orders by a whitelisted `o`.
The queue is the pending revisions, oldest first; a curator's starts on their own projects (`scope`).
The deals filter by status, a project on either side, a lot's number, the period they started in and a search
in the code, the lot's title and both projects' names; a curator's start on their own projects too.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from offers import codes
from offers.models import Deal, DealStatus, Lot, LotRevision, LotStatus
from portal.filters import (
    MINE,
    ChoiceFilter,
    CuratorScope,
    DayFilter,
    PlainSelect,
    PortalFilterSet,
    SearchFilter,
    SortedFilterSet,
    choices_from,
    order_filter,
    scope_filter,
)
from portal.search import search_q
from projects.models import Category, Project

# `o` values → the columns they order by; every order ends in the id so pages never overlap.
ORDERS = {
    "created": ("created_at",),
    "title": ("title",),
    "project": ("project__name",),
    "status": ("status",),
    "reward": ("reward",),
}
DEFAULT_ORDER = "-created"
ORDER_CHOICES = [
    ("-created", _("Newest first")),
    ("created", _("Oldest first")),
    ("title", _("Title, A to Z")),
    ("-title", _("Title, Z to A")),
    ("project", _("Project, A to Z")),
    ("-project", _("Project, Z to A")),
    ("status", _("Status")),
    ("-status", _("Status, reversed")),
    ("-reward", _("Reward, highest first")),
    ("reward", _("Reward, lowest first")),
]

# The queue: a lot never published yet, or new terms of a live lot (partners see the old ones meanwhile).
KIND_NEW_LOT, KIND_NEW_TERMS = "new", "terms"
QUEUE_LOT_STATUSES = (LotStatus.MODERATION, LotStatus.PUBLISHED, LotStatus.PAUSED)


def curators_of_projects():
    """Choices `(user id, name)` of the moderators who curate at least one project (a callable: read when the
    form is built)."""

    def choices():
        from accounts.models import Role, User

        curators = User.objects.filter(role=Role.MODERATOR, pk__in=_curator_grants().values("user_id"))
        rows = curators.order_by("full_name", "email").values_list("pk", "full_name", "email")
        return [(str(pk), full_name or email) for pk, full_name, email in rows]

    return choices


def _curator_grants():
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    from projects.models import CURATE_PROJECT

    return UserObjectPermission.objects.filter(
        content_type=ContentType.objects.get_for_model(Project), permission__codename=CURATE_PROJECT
    )


def projects_curated_by(user_id) -> list[int]:
    return [int(pk) for pk in _curator_grants().filter(user_id=user_id).values_list("object_pk", flat=True)]


class LotPoolFilter(SortedFilterSet):
    ORDERS = ORDERS
    DEFAULT_ORDER = DEFAULT_ORDER

    q = SearchFilter(fields=["title"], label=_("Search"))
    status = ChoiceFilter(label=_("Status"), choices=LotStatus.choices, empty_label=_("Any status"), widget=PlainSelect)
    project = ChoiceFilter(
        label=_("Project"),
        field_name="project_id",
        choices=choices_from(Project.objects.order_by("name")),
        empty_label=_("All projects"),
        widget=PlainSelect,
    )
    category = ChoiceFilter(
        label=_("Category"),
        field_name="project__category",
        choices=Category.choices,
        empty_label=_("All categories"),
        widget=PlainSelect,
    )
    date_from = DayFilter(label=_("Created from"), field_name="created_at", since=True)
    date_to = DayFilter(label=_("Created to"), field_name="created_at", since=False)
    curator = ChoiceFilter(
        label=_("Curator"),
        method="filter_curator",
        choices=curators_of_projects(),
        empty_label=_("Any curator"),
        widget=PlainSelect,
    )
    o = order_filter(ORDER_CHOICES)

    class Meta(PortalFilterSet.Meta):
        model = Lot
        fields: list[str] = []

    def __init__(self, *args, curated_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.curated_ids = list(curated_ids)
        if self.curated_ids:
            # A curator finds their own projects first; the other curators follow.
            curator = self.filters["curator"]
            others = curator.extra["choices"]
            curator.extra["choices"] = lambda: [(MINE, _("My projects")), *others()]

    def filter_curator(self, queryset, name, value):
        ids = self.curated_ids if value == MINE else projects_curated_by(value)
        return queryset.filter(project_id__in=ids)

    @property
    def is_filtered(self) -> bool:
        """The order narrows nothing; an invalid value (even of the order) is a filter to fix."""
        return (self.is_bound and not self.is_valid()) or super().is_filtered


class LotQueueFilter(CuratorScope, PortalFilterSet):
    q = SearchFilter(fields=["lot__title"], label=_("Search"))
    # Only for a curator: their projects' revisions, or the whole queue (as the staff project list).
    scope = scope_filter()
    kind = ChoiceFilter(
        label=_("Kind"),
        method="filter_kind",
        choices=[(KIND_NEW_LOT, _("New lots")), (KIND_NEW_TERMS, _("New terms of live lots"))],
        empty_label=_("Everything"),
        widget=PlainSelect,
    )
    project = ChoiceFilter(
        label=_("Project"),
        field_name="lot__project_id",
        choices=choices_from(Project.objects.order_by("name")),
        empty_label=_("All projects"),
        widget=PlainSelect,
    )

    class Meta(PortalFilterSet.Meta):
        model = LotRevision
        fields: list[str] = []

    def of_projects(self, ids) -> Q:
        return Q(lot__project_id__in=ids)

    def filter_kind(self, queryset, name, value):
        if value == KIND_NEW_LOT:
            return queryset.filter(lot__status=LotStatus.MODERATION)
        return queryset.exclude(lot__status=LotStatus.MODERATION)


# --- deals (staff: /staff/deals/) --------------------------------------------------------------------------

DEAL_ORDERS = {
    "created": ("created_at",),
    "ended": ("ended_at",),
    "code": ("code",),
    "lot": ("lot__title",),
    "owner": ("owner__name",),
    "partner": ("partner__name",),
    "status": ("status",),
}
DEAL_ORDER_CHOICES = [
    ("-created", _("Newest first")),
    ("created", _("Oldest first")),
    ("-ended", _("Ended, latest first")),
    ("ended", _("Ended, earliest first")),
    ("code", _("Code, A to Z")),
    ("-code", _("Code, Z to A")),
    ("lot", _("Lot, A to Z")),
    ("-lot", _("Lot, Z to A")),
    ("owner", _("Owner, A to Z")),
    ("-owner", _("Owner, Z to A")),
    ("partner", _("Partner, A to Z")),
    ("-partner", _("Partner, Z to A")),
    ("status", _("Status")),
    ("-status", _("Status, reversed")),
]


class DealSearchFilter(SearchFilter):
    """The search of the deals: the text in the lot's title or a project's name, or — typed as on a card, in
    any case, with a dash or Cyrillic look-alikes — a piece of the referral code."""

    def filter(self, qs, value):
        if not value or not value.strip():
            return qs
        where = search_q(self.search_fields, value)
        piece = codes.fragment(value)
        if piece:
            where |= Q(code__contains=piece)
        return qs.filter(where)


class StaffDealFilter(CuratorScope, SortedFilterSet):
    ORDERS = DEAL_ORDERS
    DEFAULT_ORDER = "-created"
    NULLS_LAST = frozenset({"ended_at"})

    q = DealSearchFilter(fields=["lot__title", "owner__name", "partner__name"], label=_("Code or name"))
    # Only for a curator: deals of their projects (on either side), or every deal.
    scope = scope_filter()
    status = ChoiceFilter(
        label=_("Status"), choices=DealStatus.choices, empty_label=_("Any status"), widget=PlainSelect
    )
    project = ChoiceFilter(
        label=_("Project, either side"),
        method="filter_project",
        choices=choices_from(Project.objects.order_by("name")),
        empty_label=_("All projects"),
        widget=PlainSelect,
    )
    lot = django_filters.NumberFilter(
        label=_("Lot number"),
        field_name="lot_id",
        min_value=1,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
    )
    date_from = DayFilter(label=_("Started from"), field_name="created_at", since=True)
    date_to = DayFilter(label=_("Started to"), field_name="created_at", since=False)
    o = order_filter(DEAL_ORDER_CHOICES)

    class Meta(PortalFilterSet.Meta):
        model = Deal
        fields: list[str] = []

    def of_projects(self, ids) -> Q:
        return Q(owner_id__in=ids) | Q(partner_id__in=ids)

    def filter_project(self, queryset, name, value):
        return queryset.filter(Q(owner_id=value) | Q(partner_id=value))
