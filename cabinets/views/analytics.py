"""Analytics pages: the figures of a period on the representative's dashboard (see `rep.dashboard`), the staff's
ecosystem analytics with a project picker, and the flow matrix with its Excel export (visits.analytics)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accounts.capabilities import Capability
from cabinets.access import capability_required
from cabinets.analytics_forms import PeriodForm, ProjectPickerForm
from cabinets.exports import export_response
from portal.exports import CONTENT_TYPES
from projects.models import Project
from visits import analytics
from visits.exporters import FlowExporter

FIGURE_LABELS = {
    "deals_active": _("Active collaborations"),
    "deals_new": _("New collaborations"),
    "deals_completed": _("Completed collaborations"),
    "clients_brought": _("Clients brought"),
    "clients_received": _("Clients received"),
    "clients": _("Referred clients"),
    "points_accrued": _("Points accrued"),
    "points_spent": _("Points spent"),
    "rewards_earned": _("Rewards earned"),
    "rewards_owed": _("Rewards owed"),
    "rewards": _("Rewards"),
    "commission": _("Platform commission"),
    "cashback": _("Cashback to our clients, points"),
    "check_total": _("Checks of referred clients"),
}
FIGURE_HINTS = {
    "clients_brought": _("as the partner: our clients who came to others"),
    "clients_received": _("as the owner: clients others sent to us"),
    "points_accrued": _("at our place, to referred clients"),
    "points_spent": _("at our place, by referred clients"),
    "rewards_earned": _("as the partner"),
    "rewards_owed": _("as the owner"),
    "commission": _("as the owner"),
    "cashback": _("points our clients got at partners' places"),
}


def period_form(request) -> PeriodForm:
    return PeriodForm(request.GET, today=analytics.portal_today())


def analytics_context(dashboard: analytics.Dashboard, form: PeriodForm) -> dict:
    """What the period picker, the figure cards and the chart need."""
    chart = dict(dashboard.series)
    chart["datasets"] = [{**d, "label": str(FIGURE_LABELS[d["key"]])} for d in chart["datasets"]]
    chart["money_label"] = str(_("₽"))
    chart["clients_label"] = str(_("Clients"))
    return {
        "period_form": form,
        "period": dashboard.period,
        "previous": dashboard.period.previous,
        "figures": [(f, FIGURE_LABELS[f.key], FIGURE_HINTS.get(f.key, "")) for f in dashboard.figures],
        "chart": chart,
    }


def rep_analytics(request, project) -> dict:
    """The dashboard's analytics block: figures, chart and the tables by deal and by counterpart."""
    form = period_form(request)
    period = form.chosen()
    dashboard = analytics.project_dashboard(project=project, period=period)
    deals, counterparts, deals_with_visits = analytics.deal_tables(project=project, period=period)
    return {
        **analytics_context(dashboard, form),
        "deal_rows": deals,
        "deals_with_visits": deals_with_visits,
        "counterpart_rows": counterparts,
        "deal_prefix": reverse("cabinet:deals", kwargs={"project_slug": project.slug}),
        "active_deals": dashboard.active_deals,
    }


@capability_required(Capability.VIEW_ALL_PROJECTS)
@require_safe
def staff_analytics(request):
    """The ecosystem's figures for a period, or one project's (the picker), with the chart and a table."""
    projects = list(Project.objects.order_by("name", "pk").values_list("pk", "name"))
    picker = ProjectPickerForm(request.GET, projects=projects)
    chosen = picker.cleaned_data.get("project") if picker.is_valid() else None
    project = Project.objects.filter(pk=chosen).first() if chosen else None
    form = period_form(request)
    period = form.chosen()
    context = {"picker": picker, "project": project, "flows_url": reverse("staff:analytics_flows")}
    if project is None:
        dashboard = analytics.ecosystem_dashboard(period=period)
        context["project_rows"] = analytics.project_table(period=period)
    else:
        dashboard = analytics.project_dashboard(project=project, period=period)
        deals, counterparts, deals_with_visits = analytics.deal_tables(project=project, period=period)
        context |= {"deal_rows": deals, "counterpart_rows": counterparts, "deals_with_visits": deals_with_visits}
    context |= analytics_context(dashboard, form)
    return render(request, "cabinets/staff/analytics/index.html", context)


@capability_required(Capability.VIEW_ALL_PROJECTS)
@require_safe
def staff_flows(request):
    """Who sends clients to whom: the busiest projects of the period as a heatmap, and their busiest pairs."""
    form = period_form(request)
    matrix = analytics.flow_matrix(period=form.chosen())
    rows = []
    for pid, name in matrix.projects:
        cells = []
        for oid, _name in matrix.projects:
            flow = matrix.cells.get((pid, oid))
            cells.append((oid, flow, matrix.intensity(flow)))
        rows.append((pid, name, cells))
    return render(
        request,
        "cabinets/staff/analytics/flows.html",
        {
            "period_form": form,
            "period": matrix.period,
            "matrix": matrix,
            "rows": rows,
            "export_query": request.GET.urlencode(),
        },
    )


@capability_required(Capability.VIEW_ALL_PROJECTS, Capability.EXPORT_ALL)
@require_safe
def staff_flows_export(request):
    """Every pair's flow of the period as Excel (or CSV), streamed and journaled."""
    form = period_form(request)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in CONTENT_TYPES or (form.is_bound and not form.is_valid()):
        messages.error(request, _("Choose a valid period and Excel or CSV for the export."))
        return redirect(reverse("staff:analytics_flows"))
    period = form.chosen()
    return export_response(FlowExporter(period=period), fmt=fmt, request=request)
