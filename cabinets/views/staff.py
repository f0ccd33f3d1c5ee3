from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.capabilities import Capability
from cabinets.access import capability_required, found_or_deny
from accounts.selectors import user_counts
from projects.selectors import project_counts, project_get, project_list, project_members


PROJECTS_PER_PAGE = 50


@capability_required(Capability.USE_STAFF_CABINET)
def dashboard(request):
    return render(request, "cabinets/staff/dashboard.html", {"figures": {"users": user_counts(user=request.user), "projects": project_counts(user=request.user)}})


@capability_required(Capability.VIEW_ALL_PROJECTS)
def projects(request):
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(project_list(user=request.user, search=search), PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "cabinets/staff/projects/list.html", {"page": page, "projects": page.object_list, "search": search})


@capability_required(Capability.VIEW_ALL_PROJECTS)
def project_detail(request, slug):
    project = found_or_deny(request, project_get(user=request.user, slug=slug), reason="project not found")
    return render(
        request,
        "cabinets/staff/projects/detail.html",
        {"project": project, "members": project_members(project=project)},
    )
