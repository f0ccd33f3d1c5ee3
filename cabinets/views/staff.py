from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.capabilities import Capability, has_capability
from accounts.selectors import user_counts
from cabinets.access import capability_required, found_or_deny
from cabinets.lists import numbered_list
from projects.selectors import (
    curated_projects_overview,
    curator_candidates,
    project_counts,
    project_curators,
    project_filterset,
    project_get,
    project_members,
)

PROJECTS_PER_PAGE = 50


@capability_required(Capability.USE_STAFF_CABINET)
@require_safe
def dashboard(request):
    return render(
        request,
        "cabinets/staff/dashboard.html",
        {
            "figures": {"users": user_counts(user=request.user), "projects": project_counts(user=request.user)},
            "curated": curated_projects_overview(user=request.user),
        },
    )


@capability_required(Capability.VIEW_ALL_PROJECTS)
@require_safe
def projects(request):
    listing = numbered_list(request, project_filterset(user=request.user, data=request.GET), per_page=PROJECTS_PER_PAGE)
    return render(
        request,
        "cabinets/staff/projects/list.html",
        {"list": listing, "can_manage": has_capability(request.user, Capability.MANAGE_PROJECTS)},
    )


@capability_required(Capability.VIEW_ALL_PROJECTS)
@require_safe
def project_detail(request, slug):
    project = found_or_deny(request, project_get(user=request.user, slug=slug), reason="project not found")
    can_manage = has_capability(request.user, Capability.MANAGE_PROJECTS)
    return render(
        request,
        "cabinets/staff/projects/detail.html",
        {
            "project": project,
            "members": project_members(project=project),
            "curators": project_curators(project=project),
            "candidates": curator_candidates(project=project) if can_manage else (),
            "can_manage": can_manage,
        },
    )
