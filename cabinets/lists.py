"""The web half of the list-page kit (docs/RECIPES.md, "Add a list page"). A list view is three lines:

    filterset = deal_filterset(user=request.user, data=request.GET)       # a selector: bound PortalFilterSet
    listing = numbered_list(request, filterset)                            # or keyset_list(...) for big tables
    return render(request, "cabinets/.../list.html", {"list": listing})

and its export one more: `return export_list(request, filterset, DealExporter(queryset=filterset.qs), list_url=...)`.
The templates use `includes/list/filters.html`, `includes/list/empty.html`, `includes/pagination.html`
(or `includes/list/keyset_pagination.html`), the `table-cards` table class and the `when` date filter.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from cabinets.exports import export_response
from portal.exports import CONTENT_TYPES, ListExporter
from portal.filters import NOT_FILTERS, PortalFilterSet
from portal.pagination import KeysetPage, keyset_page

PAGE_SIZE = 50


def querystring_without(request, *names: str) -> str:
    """The request's query string without `names` (e.g. the paging cursor), URL-encoded, no leading "?"."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@dataclass
class ListPage:
    filter: PortalFilterSet
    page: Page | KeysetPage
    # The current filters (and order) without the page: for links to a row and back, and for the export.
    filters_query: str

    @property
    def is_filtered(self) -> bool:
        return self.filter.is_filtered

    def __iter__(self):
        return iter(self.page)


def sort_links(request, order: str, first_order: dict[str, str]) -> dict:
    """The column headers of a `SortedFilterSet` list: per column of `first_order` (column → the order of its
    first click, e.g. "-created" for newest first), the link that orders by it — or reverses it when it is the
    current order — keeping the filters, and its state ("asc", "desc" or "")."""
    base = querystring_without(request, "page", "o")
    links = {}
    for column, first in first_order.items():
        if order.lstrip("-") == column:
            state = "desc" if order.startswith("-") else "asc"
            target = column if order.startswith("-") else f"-{column}"
        else:
            state, target = "", first
        links[column] = {"href": f"?{base}&o={target}" if base else f"?o={target}", "state": state}
    return links


class _Paginator(Paginator):
    """Counts `count_of` (a sorted list's rows before its computed columns: `SortedFilterSet.filtered`) and
    pages through the full, ordered queryset."""

    def __init__(self, object_list, per_page, *, count_of=None):
        super().__init__(object_list, per_page)
        self.count_of = count_of

    @cached_property
    def count(self):
        return self.count_of.count() if self.count_of is not None else super().count


def numbered_list(request, filterset: PortalFilterSet, *, per_page: int = PAGE_SIZE) -> ListPage:
    """Page-number pagination (it counts the rows): for lists of up to tens of thousands."""
    paginator = _Paginator(filterset.qs, per_page, count_of=getattr(filterset, "filtered", None))
    page = paginator.get_page(request.GET.get("page"))
    return ListPage(filterset, page, querystring_without(request, "page"))


def keyset_list(
    request, filterset: PortalFilterSet, *, newest_first: bool = True, per_page: int = PAGE_SIZE
) -> ListPage:
    """Keyset pagination by (created_at, id): one query whatever the table size and depth, never a COUNT."""
    page = keyset_page(
        filterset.qs,
        newest_first=newest_first,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=per_page,
    )
    return ListPage(filterset, page, querystring_without(request, "after", "before"))


def export_list(request, filterset: PortalFilterSet, exporter: ListExporter, *, list_url: str):
    """Export what the page shows. An invalid filter or format is refused with the page's own messages and
    sends the user back to the list with what they typed — never widened to everything."""
    fmt = request.GET.get("format", "xlsx")
    problems = [] if fmt in CONTENT_TYPES else [_("Choose Excel or CSV for the export.")]
    if filterset.is_bound and not filterset.is_valid():
        problems += filterset.error_messages()
    if problems:
        for problem in problems:
            messages.error(request, problem)
        query = querystring_without(request, "format", *(NOT_FILTERS - {"order", "sort"}))
        return redirect(f"{list_url}?{query}" if query else list_url)
    return export_response(exporter, fmt=fmt, request=request)
