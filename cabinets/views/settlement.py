"""Settlement netting pages (visits.settlement): a project's month with each counterpart — what they owe us, what
we owe them, what either side paid, and the one net amount — and the staff's view of the whole ecosystem."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.capabilities import Capability
from cabinets.access import capability_required, found_or_deny
from cabinets.ledger_forms import MonthForm
from visits.analytics import portal_today
from visits.invoices import invoice_get_by_slug, invoice_pdf
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


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def project_settlement_invoice(request, payee_slug: str):
    """The invoice (PDF) the counterpart issues us for the month's net amount — only where the netting says we pay
    it; otherwise, as for any project that is not a counterpart, 404."""
    start, end = _month(request).bounds()
    invoice = found_or_deny(
        request,
        invoice_get_by_slug(payer=request.project, payee_slug=payee_slug, start=start, end=end),
        reason="no amount to pay this project for the month",
    )
    response = HttpResponse(invoice_pdf(invoice, issued=portal_today()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="invoice-{invoice.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
