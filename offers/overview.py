"""Reads of the overview table (SPEC §4 rep 3, §7.1): every interaction of a project with another, on both sides.

A row is a **response** — one project offering to bring clients to another's lot — and, once accepted, the
**deal** it became (`Deal.response` is one-to-one): pending, rejected, withdrawn, or a deal active,
completed or cancelled. Seen from a project it is *incoming* (a partner works on our lot: we pay) or
*outgoing* (we work on another's lot: we earn). The reward and cashback of a deal are those of its terms
snapshot — what was agreed — and of a response not (yet) a deal the lot's live terms; the commission is
`offers.budget`'s percent of that reward. "Active interactions" is how many things still go on between the
row's two projects, both directions together: pending responses and active deals.

A page is read in two steps, as the staff pool of lots: the filtered, ordered rows are counted and sliced
as ids, and only the page's rows are read whole — with the per-row counts (active interactions, the
reader's unread messages) computed for those rows only. One query for the rows whatever the table's size.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from functools import reduce

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from offers.budget import lot_budget
from offers.models import Deal, DealStatus, Response, ResponseStatus
from offers.overview_filters import INCOMING, OUTGOING, OverviewFilter, StaffOverviewFilter
from offers.selectors import party_to, unread_messages
from portal.filters import default_scope
from projects.models import Project

ROW_FIELDS = (
    "id",
    "status",
    "created_at",
    "decided_at",
    "lot__id",
    "lot__title",
    "lot__status",
    "lot__reward",
    "lot__cashback_points",
    "lot__project__id",
    "lot__project__name",
    "lot__project__slug",
    "lot__project__active",
    "project__id",
    "project__name",
    "project__slug",
    "project__active",
    "deal__id",
    "deal__code",
    "deal__status",
    "deal__created_at",
    "deal__ended_at",
)


def _from_terms(key: str, output_field):
    """A value of the deal's terms snapshot (JSON), typed."""
    return Cast(KeyTextTransform(key, "deal__terms"), output_field)


def _rows():
    """Every interaction with both projects, its lot and its deal: what the filters narrow and the list counts."""
    return Response.objects.select_related("lot", "lot__project", "project", "deal").only(*ROW_FIELDS)


def columns(queryset, project: Project | None = None):
    """The computed columns the table shows and sorts by — `state`, `reward`, `cashback`, and seen from
    `project` its `direction` and `counterpart_name` — added after the filters (`SortedFilterSet.with_columns`),
    so the COUNT of a page reads no deal or lot for them."""
    queryset = queryset.annotate(
        # The response's status until accepted, then the deal's (the values of both differ).
        state=Case(
            When(status=ResponseStatus.ACCEPTED, deal__isnull=False, then=F("deal__status")),
            default=F("status"),
            output_field=CharField(),
        ),
        reward=Coalesce(
            _from_terms("reward", DecimalField(max_digits=10, decimal_places=2)),
            F("lot__reward"),
            output_field=DecimalField(max_digits=10, decimal_places=2),
        ),
        cashback=Coalesce(
            _from_terms("cashback_points", IntegerField()), F("lot__cashback_points"), output_field=IntegerField()
        ),
    )
    if project is None:
        return queryset
    return queryset.annotate(
        direction=Case(When(lot__project=project, then=Value(INCOMING)), default=Value(OUTGOING)),
        counterpart_name=Case(When(lot__project=project, then=F("project__name")), default=F("lot__project__name")),
    )


def _pair(owner_id: int, partner_id: int) -> frozenset:
    return frozenset((owner_id, partner_id))


def active_between(pairs: Iterable[tuple[int, int]] | None = None) -> dict[frozenset, int]:
    """Pending responses and active deals between two projects, either side's lots, by the pair of their ids
    (`frozenset`). `pairs` — (lot owner, partner) ids, a page's rows — reads exactly those pairs, each term an
    index lookup (`deal_between`, `response_by_partner_status`); None reads every pair (an export). Two
    grouped queries either way, instead of a count per row. A deal is its accepted response (one to one), so
    "pending responses + active deals" is the table's LIVE rows."""
    deals = Deal.objects.filter(status=DealStatus.ACTIVE)
    pending = Response.objects.filter(status=ResponseStatus.PENDING)
    if pairs is not None:
        both_ways = {(a, b) for a, b in pairs} | {(b, a) for a, b in pairs}
        if not both_ways:
            return {}
        deals = deals.filter(_any_of(Q(owner_id=a, partner_id=b) for a, b in both_ways))
        pending = pending.filter(_any_of(Q(lot__project_id=a, project_id=b) for a, b in both_ways))
    counts: dict[frozenset, int] = defaultdict(int)
    for grouped in (
        deals.order_by().values_list("owner_id", "partner_id").annotate(n=Count("pk")),
        pending.order_by().values_list("lot__project_id", "project_id").annotate(n=Count("pk")),
    ):
        for owner_id, partner_id, n in grouped:
            counts[_pair(owner_id, partner_id)] += n
    return counts


def _any_of(conditions) -> Q:
    return reduce(operator.or_, conditions)


def _with_active(rows: list[Response], counts: dict[frozenset, int]) -> list[Response]:
    for row in rows:
        row.active = counts.get(_pair(row.lot.project_id, row.project_id), 0)
    return rows


# --- a project's cabinet (/cabinet/<slug>/overview/) ------------------------------------------------------


def overview_rows(*, project: Project):
    """The interactions `project` is party to, as the lot's owner or as the partner."""
    return _rows().filter(party_to(project))


def overview_filterset(*, project: Project, data) -> OverviewFilter:
    """The cabinet's overview bound to its filters and order (its columns seen from `project`)."""
    return OverviewFilter(
        data,
        queryset=overview_rows(project=project),
        project=project,
        columns=lambda queryset: columns(queryset, project),
    )


def overview_page_rows(*, project: Project, user, rows) -> list[Response]:
    """The page's rows read whole, `rows` being the page's slice of the filtered, ordered table: each with
    `active` (the active interactions with its counterpart) and `unread` (`user`'s unread messages of its
    deal), `counterpart` and the commission per client."""
    page = list(
        columns(overview_rows(project=project), project)
        .filter(pk__in=rows.values("pk"))
        .annotate(unread=unread_messages(user, deal="deal"))
        .order_by(*rows.query.order_by)
    )
    return decorate(_with_active(page, active_between(_pairs_of(page))), project=project)


def overview_export_rows(*, queryset, project: Project | None = None):
    """The filtered table for an export: every row with `active` and the commission, in the page's order."""
    counts = active_between()
    for chunk in _chunked(queryset.iterator(chunk_size=2000), 2000):
        yield from decorate(_with_active(chunk, counts), project=project)


def _pairs_of(rows: list[Response]) -> list[tuple[int, int]]:
    return [(row.lot.project_id, row.project_id) for row in rows]


def _chunked(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def decorate(rows: list[Response], *, project: Project | None) -> list[Response]:
    """What every row shows besides its columns: the commission per client (`offers.budget`, the same
    arithmetic as the lot form's calculator), the deal if there is one, and — seen from `project` — the
    counterpart project."""
    percents: dict[Decimal, Decimal] = {}
    for row in rows:
        if row.reward not in percents:
            percents[row.reward] = lot_budget(quota=1, reward=row.reward).commission_per_client
        row.commission = percents[row.reward]
        row.the_deal = row.deal if row.status == ResponseStatus.ACCEPTED and hasattr(row, "deal") else None
        if project is not None:
            row.counterpart = row.project if row.lot.project_id == project.pk else row.lot.project
    return rows


# --- staff (/staff/overview/) -----------------------------------------------------------------------------


def _staff_sees_all(user) -> bool:
    from accounts.capabilities import Capability, has_capability

    return has_capability(user, Capability.VIEW_ALL_PROJECTS)


def staff_overview_rows(*, user):
    """Every interaction, for staff who see every project (none for anyone else)."""
    if not _staff_sees_all(user):
        return Response.objects.none()
    return _rows()


def staff_overview_filterset(*, user, data) -> StaffOverviewFilter:
    """The staff overview bound to its filters. A curator's opens on "my projects" (either side of the row is
    a project they curate); "all projects" is one click away, as on the moderation queue."""
    from projects.selectors import curated_projects

    curated_ids = list(curated_projects(user).values_list("pk", flat=True))
    data = default_scope(data, curated_ids)
    return StaffOverviewFilter(data, queryset=staff_overview_rows(user=user), curated_ids=curated_ids, columns=columns)


def staff_overview_page_rows(*, user, rows) -> list[Response]:
    """The page's rows read whole (see `overview_page_rows`), each with `active`."""
    page = list(columns(staff_overview_rows(user=user)).filter(pk__in=rows.values("pk")).order_by(*rows.query.order_by))
    return decorate(_with_active(page, active_between(_pairs_of(page))), project=None)
