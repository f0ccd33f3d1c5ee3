from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from cabinets.policy import Capability, capability_required
from cabinets.selectors import staff_dashboard_figures
from projects.selectors import project_get, project_list, project_members


PROJECTS_PER_PAGE = 50


@capability_required(Capability.USE_STAFF_CABINET)
def dashboard(request):
    return render(request, "cabinets/staff/dashboard.html", {"figures": staff_dashboard_figures()})


@capability_required(Capability.VIEW_ALL_PROJECTS)
def projects(request):
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(project_list(user=request.user, search=search), PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "cabinets/staff/projects/list.html", {"page": page, "projects": page.object_list, "search": search})


@capability_required(Capability.VIEW_ALL_PROJECTS)
def project_detail(request, slug):
    project = project_get(user=request.user, slug=slug)
    if project is None:
        raise Http404
    return render(
        request,
        "cabinets/staff/projects/detail.html",
        {"project": project, "members": project_members(project=project)},
    )
