"""Staff → Visits and payments: import referred visits from a file (visits/imports.py), all or none; record a
payment (visits/payments.py) and list them, with the payment's document."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

import auditlog
from accounts.capabilities import Capability
from auditlog.events import FILE_DOWNLOADED
from cabinets.access import capability_required, deny, found_or_deny
from cabinets.ledger_forms import PaymentForm, VisitImportForm
from cabinets.lists import numbered_list
from portal.exceptions import ApplicationError
from portal.exports import CONTENT_TYPES
from portal.imports import ImportFileError
from portal.uploads import KINDS, StoredFileMissing, extension_of, file_response
from visits.imports import VisitImporter
from visits.payments import payment_record
from visits.selectors import payment_filterset, payment_get

ERRORS_SHOWN = 500  # a file of 100 000 wrong rows: the first ones tell what to fix


@capability_required(Capability.USE_STAFF_CABINET, Capability.RECORD_VISITS)
def visits_import(request):
    importer = VisitImporter(actor=request.user)
    form = VisitImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = importer.run(form.cleaned_data["file"])
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            if result.ok:
                imported = result.created
                messages.success(
                    request,
                    ngettext(
                        "%(created)d visit imported from %(rows)d rows (%(skipped)d already recorded).",
                        "%(created)d visits imported from %(rows)d rows (%(skipped)d already recorded).",
                        imported.created,
                    )
                    % {"created": imported.created, "rows": result.rows, "skipped": imported.skipped},
                )
                return redirect("staff:visits_import")
    return render(
        request,
        "cabinets/staff/visits/import.html",
        {
            "form": form,
            "result": result,
            "errors_shown": result.errors[:ERRORS_SHOWN] if result else [],
            "errors_hidden": max(0, len(result.errors) - ERRORS_SHOWN) if result else 0,
            "columns": importer.columns,
            "max_rows": importer.max_rows,
        },
    )


@capability_required(Capability.USE_STAFF_CABINET, Capability.RECORD_VISITS)
@require_safe
def visits_import_template(request):
    response = HttpResponse(VisitImporter(actor=request.user).template_xlsx(), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = 'attachment; filename="visits-import.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- payments -------------------------------------------------------------------------------------------------


@capability_required(Capability.USE_STAFF_CABINET, Capability.VIEW_ALL_PROJECTS)
@require_safe
def payments(request):
    filterset = payment_filterset(user=request.user, data=request.GET)
    listing = numbered_list(request, filterset)
    return render(
        request,
        "cabinets/staff/payments/list.html",
        {"list": listing, "document_prefix": reverse("staff:payments")},  # + "<pk>/document/"
    )


@capability_required(Capability.USE_STAFF_CABINET, Capability.RECORD_VISITS)
def payment_create(request):
    form = PaymentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = payment_record(
                payer=data["payer"],
                payee=data["payee"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                period_from=data["period_from"],
                period_to=data["period_to"],
                note=data["note"],
                document=data["checked_document"],
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Payment recorded: %(payer)s → %(payee)s, %(amount)s ₽. Both sides were notified.")
                % {
                    "payer": payment.payer.name,
                    "payee": payment.payee.name if payment.payee else "Misty",
                    "amount": formats.number_format(payment.amount, 2, use_l10n=True, force_grouping=True),
                },
            )
            return redirect("staff:payments")
    return render(request, "cabinets/staff/payments/form.html", {"form": form})


@capability_required(Capability.USE_STAFF_CABINET, Capability.VIEW_ALL_PROJECTS)
@require_safe
def payment_document(request, pk: int):
    payment = found_or_deny(request, payment_get(user=request.user, pk=pk), reason="payment not found")
    if not payment.document:
        deny(request, status=404, reason="payment has no document")
    kind = KINDS.get(extension_of(payment.document))
    try:
        response = file_response(
            name=payment.document,
            display_name=payment.document_name,
            content_type=kind.content_type if kind else "application/octet-stream",
        )
    except StoredFileMissing:
        return found_or_deny(request, None, reason="file missing")
    auditlog.record(
        actor=request.user,
        event=FILE_DOWNLOADED,
        obj=payment,
        project=payment.payer,
        request=request,
        changes={"file": payment.document_name},
    )
    return response
