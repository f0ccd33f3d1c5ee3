"""Visits and ledgers: the cabinet's visits (both directions) with the "Dispute" button, the cabinet's ledger;
staff's list of every visit, a visit's card (its legs and disputes, resolving one), the disputes, a project's
ledger. A ledger shows only that project's own entries and its balance with each counterparty (sums of entries).
Lists are keyset-paginated (never counted); exports stream."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.capabilities import Capability, has_capability
from cabinets.access import capability_required, found_or_deny
from cabinets.ledger_forms import DisputeForm, ResolveForm
from cabinets.lists import export_list, keyset_list
from offers import codes
from portal.exceptions import ApplicationError
from projects.selectors import project_get
from visits.disputes import dispute_open, dispute_resolve
from visits.exporters import LedgerExporter, VisitExporter
from visits.models import DisputeStatus
from visits.selectors import (
    dispute_get,
    dispute_list,
    ledger_balances,
    ledger_filterset,
    project_visit_filterset,
    project_visit_get,
    staff_visit_filterset,
    staff_visit_get,
)


def _with_codes(rows):
    for row in rows:
        row.code_display = codes.display(row.deal.code)
    return rows


# --- the project's cabinet ----------------------------------------------------------------------------------


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def visits(request):
    filterset = project_visit_filterset(project=request.project, data=request.GET)
    listing = keyset_list(request, filterset)
    _with_codes(listing.page.rows)
    return render(
        request,
        "cabinets/rep/visits/list.html",
        {
            "list": listing,
            "dispute_prefix": reverse("cabinet:visits", kwargs={"project_slug": request.project.slug}),
        },
    )


@capability_required(Capability.USE_PROJECT_CABINET, acting=True)
def visit_dispute(request, pk: int):
    visit = found_or_deny(request, project_visit_get(project=request.project, pk=pk), reason="visit not found")
    form = DisputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dispute_open(visit=visit, project=request.project, actor=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error("reason", exc.message)
        else:
            messages.success(request, _("The visit is disputed: Misty staff will look at it, and both sides are told."))
            return redirect("cabinet:visits", project_slug=request.project.slug)
    return render(
        request,
        "cabinets/rep/visits/dispute.html",
        {"visit": visit, "code_display": codes.display(visit.deal.code), "form": form},
    )


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def ledger(request):
    return _ledger_page(
        request, request.project, export_url=reverse("cabinet:ledger_export", args=[request.project.slug])
    )


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def ledger_export(request):
    return _ledger_export(request, request.project, list_url=reverse("cabinet:ledger", args=[request.project.slug]))


def _ledger_page(request, project, *, export_url: str):
    filterset = ledger_filterset(project=project, data=request.GET)
    listing = keyset_list(request, filterset)
    for entry in listing.page.rows:
        entry.code_display = codes.display(entry.visit.deal.code) if entry.visit_id else ""
    return render(
        request,
        "cabinets/ledger.html",
        {"project": project, "list": listing, "balances": ledger_balances(project=project), "export_url": export_url},
    )


def _ledger_export(request, project, *, list_url: str):
    filterset = ledger_filterset(project=project, data=request.GET)
    filters = filterset.form.cleaned_data if filterset.is_valid() else {}
    exporter = LedgerExporter(queryset=filterset.qs.order_by("-created_at", "-id"), filters=filters)
    exporter.name = f"ledger-{project.slug}"
    return export_list(request, filterset, exporter, list_url=list_url)


# --- staff --------------------------------------------------------------------------------------------------


@capability_required(Capability.USE_STAFF_CABINET, Capability.VIEW_ALL_PROJECTS)
@require_safe
def staff_visits(request):
    filterset = staff_visit_filterset(user=request.user, data=request.GET)
    listing = keyset_list(request, filterset)
    _with_codes(listing.page.rows)
    return render(
        request,
        "cabinets/staff/visits/list.html",
        {
            "list": listing,
            "visit_prefix": reverse("staff:visits"),
            "can_export": has_capability(request.user, Capability.EXPORT_ALL),
        },
    )


@capability_required(Capability.USE_STAFF_CABINET, Capability.VIEW_ALL_PROJECTS, Capability.EXPORT_ALL)
@require_safe
def staff_visits_export(request):
    filterset = staff_visit_filterset(user=request.user, data=request.GET)
    filters = filterset.form.cleaned_data if filterset.is_valid() else {}
    exporter = VisitExporter(queryset=filterset.qs.order_by("-created_at", "-id"), filters=filters)
    return export_list(request, filterset, exporter, list_url=reverse("staff:visits"))


@capability_required(Capability.USE_STAFF_CABINET, Capability.VIEW_ALL_PROJECTS)
@require_safe
def staff_visit_detail(request, pk: int):
    visit = found_or_deny(request, staff_visit_get(user=request.user, pk=pk), reason="visit not found")
    disputes = list(visit.disputes.all())
    open_dispute = next((d for d in disputes if d.status == DisputeStatus.OPEN), None)
    return render(
        request,
        "cabinets/staff/visits/detail.html",
        {
            "visit": visit,
            "code_display": codes.display(visit.deal.code),
            "entries": list(visit.entries.all()),
            "disputes": disputes,
            "open_dispute": open_dispute,
            "can_resolve": has_capability(request.user, Capability.RECORD_VISITS),
            "form": ResolveForm(),
        },
    )


@capability_required(Capability.USE_STAFF_CABINET, Capability.RECORD_VISITS)
@require_POST
def staff_dispute_resolve(request, pk: int):
    dispute = found_or_deny(request, dispute_get(user=request.user, pk=pk), reason="dispute not found")
    form = ResolveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("staff:visit_detail", pk=dispute.visit_id)
    uphold = form.cleaned_data["decision"] == ResolveForm.UPHOLD
    try:
        dispute_resolve(dispute=dispute, actor=request.user, uphold=uphold, resolution=form.cleaned_data["resolution"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Dispute upheld: the visit is reversed in both ledgers.")
            if uphold
            else _("Dispute rejected: the visit stays."),
        )
    return redirect("staff:visit_detail", pk=dispute.visit_id)


@capability_required(Capability.USE_STAFF_CABINET, Capability.VIEW_ALL_PROJECTS)
@require_safe
def staff_disputes(request):
    rows = dispute_list(user=request.user)
    for dispute in rows:
        dispute.code_display = codes.display(dispute.visit.deal.code)
    return render(
        request, "cabinets/staff/disputes/list.html", {"disputes": rows, "visit_prefix": reverse("staff:visits")}
    )


@capability_required(Capability.USE_STAFF_CABINET, Capability.VIEW_ALL_PROJECTS)
@require_safe
def staff_project_ledger(request, slug: str):
    project = found_or_deny(request, project_get(user=request.user, slug=slug), reason="project not found")
    return _ledger_page(request, project, export_url=reverse("staff:project_ledger_export", args=[project.slug]))


@capability_required(Capability.USE_STAFF_CABINET, Capability.VIEW_ALL_PROJECTS, Capability.EXPORT_ALL)
@require_safe
def staff_project_ledger_export(request, slug: str):
    project = found_or_deny(request, project_get(user=request.user, slug=slug), reason="project not found")
    return _ledger_export(request, project, list_url=reverse("staff:project_ledger", args=[project.slug]))
