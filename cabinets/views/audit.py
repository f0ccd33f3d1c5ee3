"""Staff → Audit journal: the filtered list (keyset-paginated, never counted), one event, and the export."""

from django.http import Http404
from django.shortcuts import render

from auditlog.exporters import AuditExporter
from auditlog.filters import ORDER_NEWEST
from auditlog.pagination import keyset_page
from auditlog.selectors import audit_event_filterset, audit_event_get, audit_event_list
from accounts.capabilities import Capability, has_capability
from cabinets.access import capability_required, deny
from cabinets.exports import export_response
from portal.exports import CONTENT_TYPES


def _query_without(request, *names) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@capability_required(Capability.VIEW_AUDIT)
def audit_list(request):
    filterset = audit_event_filterset(user=request.user, data=request.GET)
    order = filterset.chosen_order
    page = keyset_page(
        filterset.qs, newest_first=order == ORDER_NEWEST,
        after=request.GET.get("after"), before=request.GET.get("before"),
    )
    filters_query = _query_without(request, "after", "before")
    return render(request, "cabinets/staff/audit/list.html", {
        "filter": filterset,
        "page": page,
        "order": order,
        "filters_query": filters_query,
        "sort_query": _query_without(request, "after", "before", "order"),
        "export_query": filters_query,
        "can_export": has_capability(request.user, Capability.EXPORT_ALL),
    })


@capability_required(Capability.VIEW_AUDIT)
def audit_detail(request, pk: int):
    event = audit_event_get(user=request.user, pk=pk)
    if event is None:
        raise Http404
    return render(request, "cabinets/staff/audit/detail.html", {"event": event, "back_query": request.GET.urlencode()})


@capability_required(Capability.VIEW_AUDIT)
def audit_export(request):
    if not has_capability(request.user, Capability.EXPORT_ALL):
        deny(request, status=403, reason="missing capability export_all")
    fmt = request.GET.get("format", "xlsx")
    if fmt not in CONTENT_TYPES:
        raise Http404
    filters = {k: v for k, v in request.GET.items() if k not in ("format", "after", "before")}
    exporter = AuditExporter(queryset=audit_event_list(user=request.user, filters=filters), filters=filters)
    return export_response(exporter, fmt=fmt, request=request)
