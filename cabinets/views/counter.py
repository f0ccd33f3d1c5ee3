"""Representative → the counter page (SPEC §7.3: visit confirmation without a web checkout).

At the owner's till, on a phone: the cashier types or scans the deal's code from the client's card, types the
client's phone, the check and the points spent, and the visit is confirmed — or refused with one clear line
that says why. Everything is `visits.services.visit_record` (source "manual"), scoped to the cabinet's project:
another project's code reads as no code at all. Only the project's managers confirm visits (a viewer is
refused the page); after a confirmation the page is empty again for the next client (POST → redirect → GET).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.capabilities import Capability
from cabinets.access import capability_required
from cabinets.visit_forms import CounterForm
from offers import codes
from visits import selectors
from visits.models import VisitSource
from visits.services import VisitRefused, visit_record


@capability_required(Capability.USE_PROJECT_CABINET, acting=True)
@require_http_methods(["GET", "HEAD", "POST"])
def counter(request):
    form = CounterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = visit_record(
                code=data["code"],
                client_phone=data["phone"] or None,
                client_card=data["card"] or None,
                check_amount=data["check_amount"],
                points_spent=data["points_spent"],
                source=VisitSource.MANUAL,
                actor=request.user,
                owner=request.project,
            )
        except VisitRefused as refused:
            form.add_refusal(refused.code, refused.message)
        else:
            messages.success(request, _confirmation(recorded))
            return redirect("cabinet:counter", project_slug=request.project.slug)
    return render(
        request,
        "cabinets/rep/counter.html",
        {"form": form, "project": request.project, "recent": selectors.counter_recent(request.project)},
    )


def _confirmation(recorded) -> str:
    visit = recorded.visit
    deal = visit.deal
    line = _(
        "Visit confirmed: %(partner)s brought the client (code %(code)s). Reward %(reward)s ₽; "
        "the client gets %(points)s points."
    ) % {
        "partner": deal.partner.name,
        "code": codes.display(deal.code),
        "reward": formats.number_format(visit.reward, 2, use_l10n=True, force_grouping=True),
        "points": visit.points_accrued,
    }
    if recorded.quota_reached:
        line += " " + _("That was the lot's last place: the quota is full and the lot is closed.")
    return line
