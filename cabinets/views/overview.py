"""The overview table (SPEC §4 rep 3, staff "everything above across all projects"): every interaction of a
project with another — a response, and the deal it became — in one table on both sides, filtered, sorted,
paged and exported as filtered. `/cabinet/<slug>/overview/` for a project (a viewer reads and exports too),
`/staff/overview/` for every project (a curator's opens on "my projects").

Reads are `offers.overview`: the page's slice is chosen by ids, then its rows are read whole in one query.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.capabilities import Capability, has_capability
from cabinets.access import capability_required
from cabinets.lists import export_list, numbered_list, sort_links
from offers import codes
from offers.exporters import OverviewExporter
from offers.models import LotStatus
from offers.overview import (
    overview_filterset,
    overview_page_rows,
    staff_overview_filterset,
    staff_overview_page_rows,
)
from offers.overview_filters import DIRECTION_LABELS, INCOMING, state_labeler

# A column's first click: the newest, the highest reward first; names A→Z; incoming first.
CABINET_FIRST_ORDER = {
    "started": "-started",
    "direction": "direction",
    "lot": "lot",
    "counterpart": "counterpart",
    "status": "status",
    "reward": "-reward",
}
STAFF_FIRST_ORDER = {
    "started": "-started",
    "lot": "lot",
    "owner": "owner",
    "partner": "partner",
    "status": "status",
    "reward": "-reward",
}


def _label_rows(rows) -> None:
    """Labels translated once per page, not once per row."""
    state_label = state_labeler()
    directions = {key: str(label) for key, label in DIRECTION_LABELS.items()}
    for row in rows:
        row.state_label = state_label(row)
        row.direction_label = directions.get(getattr(row, "direction", ""), "")
        row.deal_code_display = codes.display(row.the_deal.code) if row.the_deal else ""


def _cabinet_prefix(name: str, request) -> str:
    """A URL reversed once, to which a row appends its key: no reverse() per row."""
    return reverse(name, kwargs={"project_slug": request.project.slug})


def _filters_without_order(filterset) -> dict:
    filters = filterset.form.cleaned_data if filterset.is_valid() else {}
    return {key: value for key, value in filters.items() if key != "o"}


# --- a project's cabinet ---------------------------------------------------------------------------------


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def overview(request):
    project = request.project
    filterset = overview_filterset(project=project, data=request.GET)
    listing = numbered_list(request, filterset)
    listing.page.object_list = overview_page_rows(project=project, user=request.user, rows=listing.page.object_list)
    _label_rows(listing.page)
    return render(
        request,
        "cabinets/rep/overview/list.html",
        {
            "list": listing,
            "project": project,
            "sort": sort_links(request, filterset.chosen_order, CABINET_FIRST_ORDER),
            "INCOMING": INCOMING,
            "PUBLISHED": LotStatus.PUBLISHED,
            # + "<pk>/", "<code>/", "<slug>/": no reverse() per row
            "own_lot_prefix": _cabinet_prefix("cabinet:lots", request),
            "market_lot_prefix": _cabinet_prefix("cabinet:market", request),
            "deal_prefix": _cabinet_prefix("cabinet:deals", request),
            "catalog_prefix": _cabinet_prefix("cabinet:catalog", request),
            "export_url": _cabinet_prefix("cabinet:overview_export", request),
        },
    )


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def overview_export(request):
    """The table as filtered on the page, every row of it (not only the page), as Excel or CSV."""
    project = request.project
    filterset = overview_filterset(project=project, data=request.GET)
    exporter = OverviewExporter(queryset=filterset.qs, project=project, filters=_filters_without_order(filterset))
    return export_list(request, filterset, exporter, list_url=_cabinet_prefix("cabinet:overview", request))


# --- staff -----------------------------------------------------------------------------------------------


def _staff_deal_prefix() -> str:
    return reverse("staff:deals")  # + "<code>/": staff:deal_detail


@capability_required(Capability.VIEW_ALL_PROJECTS)
@require_safe
def staff_overview(request):
    filterset = staff_overview_filterset(user=request.user, data=request.GET)
    listing = numbered_list(request, filterset)
    listing.page.object_list = staff_overview_page_rows(user=request.user, rows=listing.page.object_list)
    _label_rows(listing.page)
    return render(
        request,
        "cabinets/staff/overview/list.html",
        {
            "list": listing,
            "sort": sort_links(request, filterset.chosen_order, STAFF_FIRST_ORDER),
            "lot_prefix": reverse("staff:lots"),  # + "<pk>/"
            "project_prefix": reverse("staff:projects"),  # + "<slug>/"
            "deal_prefix": _staff_deal_prefix(),  # + "<code>/"
            "can_export": has_capability(request.user, Capability.EXPORT_ALL),
        },
    )


@capability_required(Capability.VIEW_ALL_PROJECTS, Capability.EXPORT_ALL)
@require_safe
def staff_overview_export(request):
    filterset = staff_overview_filterset(user=request.user, data=request.GET)
    exporter = OverviewExporter(queryset=filterset.qs, filters=_filters_without_order(filterset))
    return export_list(request, filterset, exporter, list_url=reverse("staff:overview"))
