"""Staff pages that change projects: create, edit, deactivate / activate, curators (administrators only)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.capabilities import Capability
from cabinets.access import capability_required, found_or_deny
from cabinets.project_forms import StaffProjectForm
from portal.exceptions import ApplicationError
from projects import services
from projects.selectors import curator_candidates, project_curators, staff_project_get


def _project(request, slug):
    return found_or_deny(request, staff_project_get(user=request.user, slug=slug), reason="project not found")


@capability_required(Capability.MANAGE_PROJECTS)
def project_create(request):
    form = StaffProjectForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                actor=request.user, data=form.card_data(), logo=form.cleaned_data.get("logo")
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Project “%(name)s” created.") % {"name": project.name})
            return redirect("staff:project_detail", slug=project.slug)
    return render(request, "cabinets/staff/projects/form.html", {"form": form, "project": None})


@capability_required(Capability.MANAGE_PROJECTS)
def project_edit(request, slug):
    project = _project(request, slug)
    form = StaffProjectForm(request.POST or None, request.FILES or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_update(
                project=project,
                actor=request.user,
                data=form.card_data(),
                logo=form.cleaned_data.get("logo"),
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Project saved."))
            return redirect("staff:project_detail", slug=project.slug)
    # The page's title and links name the project as stored, not as typed into a form that was refused.
    stored = staff_project_get(user=request.user, slug=slug)
    return render(request, "cabinets/staff/projects/form.html", {"form": form, "project": stored})


@capability_required(Capability.MANAGE_PROJECTS)
def project_set_active(request, slug, active: bool):
    """GET: the confirmation; POST: deactivate (or activate) the project."""
    project = _project(request, slug)
    if request.method == "POST":
        try:
            services.project_set_active(project=project, actor=request.user, active=active)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            if active:
                messages.success(request, _("Project “%(name)s” is active again.") % {"name": project.name})
            else:
                messages.success(request, _("Project “%(name)s” deactivated.") % {"name": project.name})
        return redirect("staff:project_detail", slug=project.slug)
    return render(request, "cabinets/staff/projects/set_active.html", {"project": project, "active": active})


@capability_required(Capability.MANAGE_PROJECTS)
@require_POST
def curator_grant(request, slug):
    project = _project(request, slug)
    user = curator_candidates(project=project).filter(pk=_user_id(request)).first()
    if user is None:
        messages.error(request, _("Choose an active moderator who does not curate this project yet."))
        return redirect("staff:project_detail", slug=project.slug)
    try:
        services.curator_grant(project=project, user=user, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s now curates this project.") % {"name": user.full_name or user.email})
    return redirect("staff:project_detail", slug=project.slug)


@capability_required(Capability.MANAGE_PROJECTS)
@require_POST
def curator_revoke(request, slug):
    project = _project(request, slug)
    user = project_curators(project=project).filter(pk=_user_id(request)).first()
    if user is None:
        messages.error(request, _("This person does not curate this project."))
        return redirect("staff:project_detail", slug=project.slug)
    try:
        services.curator_revoke(project=project, user=user, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(name)s no longer curates this project.") % {"name": user.full_name or user.email}
        )
    return redirect("staff:project_detail", slug=project.slug)


def _user_id(request) -> int:
    try:
        return int(request.POST.get("user", ""))
    except ValueError:
        return 0
