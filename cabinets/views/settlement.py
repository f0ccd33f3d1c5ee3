"""Settlement netting pages (visits.settlement): a project's month with each counterpart — what they owe us, what
we owe them, what either side paid, and the one net amount — and the staff's view of the whole ecosystem."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.capabilities import Capability
from cabinets.access import capability_required
from cabinets.ledger_forms import MonthForm
from visits.analytics import portal_today
from visits.settlement import ZERO, settlement


def _month(request) -> MonthForm:
    return MonthForm(request.GET, today=portal_today())


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def project_settlement(request):
    project = request.project
    form = _month(request)
    start, end = form.bounds()
    result = settlement(start=start, end=end, project=project)
    lines = result.lines_for(project.pk)
    commission = result.commission.get(project.pk, ZERO)
    commission_paid = result.commission_paid.get(project.pk, ZERO)
    return render(
        request,
        "cabinets/rep/settlement.html",
        {
            "project": project,
            "form": form,
            "start": start,
            "end": end,
            "lines": lines,
            "position": result.positions.get(project.pk, ZERO),
            "commission": commission,
            "commission_paid": commission_paid,
            "commission_due": commission - commission_paid,
        },
    )


@capability_required(Capability.VIEW_ALL_PROJECTS)
@require_safe
def staff_settlement(request):
    form = _month(request)
    start, end = form.bounds()
    result = settlement(start=start, end=end)
    positions = result.positions
    ids = set(positions) | set(result.commission) | set(result.commission_paid)
    projects = sorted(
        (
            {
                "name": result.name(pk),
                "slug": result.names.get(pk, ("", ""))[1],
                "position": positions.get(pk, ZERO),
                "commission_due": result.commission.get(pk, ZERO) - result.commission_paid.get(pk, ZERO),
            }
            for pk in ids
        ),
        key=lambda row: (row["position"], row["name"]),
    )
    return render(
        request,
        "cabinets/staff/settlement.html",
        {"form": form, "start": start, "end": end, "transfers": result.transfers(), "projects": projects},
    )
