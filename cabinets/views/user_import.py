"""Staff → People → Import: invite many people from an .xlsx or .csv file (accounts/imports.py), all or none."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from accounts.capabilities import Capability
from accounts.imports import UserImporter
from cabinets.access import capability_required
from cabinets.access_forms import UserImportForm
from portal.exports import CONTENT_TYPES
from portal.imports import ImportFileError


@capability_required(Capability.USE_STAFF_CABINET, Capability.MANAGE_USERS)
def users_import(request):
    importer = UserImporter(actor=request.user)
    form = UserImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = importer.run(form.cleaned_data["file"])
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            if result.ok:
                people = len(result.created)
                messages.success(
                    request,
                    ngettext(
                        "%(people)d person invited from %(rows)d rows: each received an invitation email.",
                        "%(people)d people invited from %(rows)d rows: each received an invitation email.",
                        people,
                    )
                    % {"people": people, "rows": result.rows},
                )
                return redirect("staff:users_import")
    return render(
        request,
        "cabinets/staff/users/import.html",
        {"form": form, "result": result, "columns": importer.columns, "max_rows": importer.max_rows},
    )


@capability_required(Capability.USE_STAFF_CABINET, Capability.MANAGE_USERS)
@require_safe
def users_import_template(request):
    response = HttpResponse(UserImporter(actor=request.user).template_xlsx(), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = 'attachment; filename="people-import.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
