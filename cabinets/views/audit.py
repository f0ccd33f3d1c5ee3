"""Staff → Audit journal: the filtered list (keyset-paginated, never counted), one event, and the export."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.capabilities import Capability, has_capability
from auditlog.changes import readable_changes
from auditlog.exporters import AuditExporter
from auditlog.filters import ORDER_NEWEST
from auditlog.selectors import audit_event_filterset, audit_event_get
from cabinets.access import capability_required, found_or_deny
from cabinets.lists import export_list, keyset_list, querystring_without


@capability_required(Capability.VIEW_AUDIT)
@require_safe
def audit_list(request):
    filterset = audit_event_filterset(user=request.user, data=request.GET)
    order = filterset.chosen_order
    listing = keyset_list(request, filterset, newest_first=order == ORDER_NEWEST)
    return render(
        request,
        "cabinets/staff/audit/list.html",
        {
            "list": listing,
            "order": order,
            "sort_query": querystring_without(request, "after", "before", "order"),
            "detail_prefix": reverse("staff:audit"),  # + "<pk>/": no reverse() per row
            "detail_query": f"?{listing.filters_query}" if listing.filters_query else "",
            "can_export": has_capability(request.user, Capability.EXPORT_ALL),
        },
    )


@capability_required(Capability.VIEW_AUDIT)
@require_safe
def audit_detail(request, pk: int):
    event = found_or_deny(request, audit_event_get(user=request.user, pk=pk), reason="audit event not found")
    return render(
        request,
        "cabinets/staff/audit/detail.html",
        {"event": event, "changes": readable_changes(event), "back_query": request.GET.urlencode()},
    )


@capability_required(Capability.VIEW_AUDIT, Capability.EXPORT_ALL)
@require_safe
def audit_export(request):
    filterset = audit_event_filterset(user=request.user, data=request.GET)
    filters = {k: v for k, v in filterset.form.cleaned_data.items() if k != "order"} if filterset.is_valid() else {}
    exporter = AuditExporter(queryset=filterset.qs.order_by("-created_at", "-id"), filters=filters)
    return export_list(request, filterset, exporter, list_url=reverse("staff:audit"))
