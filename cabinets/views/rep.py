from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.capabilities import Capability
from cabinets.access import capability_required
from cabinets.project_forms import RepresentativeProjectForm
from cabinets.views.analytics import rep_analytics
from offers.models import LotStatus
from offers.selectors import project_summary
from portal.exceptions import ApplicationError
from projects import services
from projects.selectors import project_members


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def dashboard(request):
    """The project's control center: what waits for it on both sides (its lots, responses to answer, deals,
    unread threads), each number a link to the filtered list; a project without lots is offered its first.
    Below, the period's figures with their change, the chart and the tables by deal and by counterpart."""
    project = request.project
    figures = rep_analytics(request, project)
    summary = project_summary(project=project, user=request.user, active_deals=figures.pop("active_deals"))
    lot_rows = [
        (status, label, summary.lots_by_status[status])
        for status, label in LotStatus.choices
        if summary.lots_by_status.get(status)
    ]
    return render(
        request,
        "cabinets/rep/dashboard.html",
        {
            "project": project,
            "members": project_members(project=project),
            "has_lots": summary.has_lots,
            "summary": summary,
            "lot_rows": lot_rows,
            "NEEDS_OWNER": (LotStatus.DRAFT, LotStatus.CHANGES_REQUESTED),
            **figures,
        },
    )


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def project_card(request):
    """The project's own card, as the catalog shows it, with its legal data and bank details."""
    return render(request, "cabinets/rep/project/detail.html", {"project": request.project})


@capability_required(Capability.USE_PROJECT_CABINET, acting=True)
def project_card_edit(request):
    """A manager edits how the project presents itself; staff own its name, legal data and bank details."""
    project = request.project
    form = RepresentativeProjectForm(request.POST or None, request.FILES or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_card_update(
                project=project,
                actor=request.user,
                data=form.card_data(),
                logo=form.cleaned_data.get("logo"),
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The project's card is saved."))
            return redirect("cabinet:project", project_slug=project.slug)
    return render(request, "cabinets/rep/project/edit.html", {"form": form, "project": project})
