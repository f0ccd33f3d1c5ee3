"""Bench pages of the cabinet shell: the representative's dashboard and the staff overview pages."""

from django.http import HttpResponse
from django.urls import reverse

from accounts.selectors import user_counts
from portal.bench import page, personas
from projects.selectors import project_counts, project_get, project_list, project_members


def _text(lines) -> HttpResponse:
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _members_admin_url(slug: str) -> str:
    return f"{reverse('admin:projects_membership_changelist')}?project__id__exact={personas.project(slug).pk}"


def bare_project_team(request, project_slug=None, slug=None):
    project = project_get(user=request.user, slug=project_slug or slug)
    return _text(f"{m.user.full_name} <{m.user.email}>" for m in project_members(project=project))


def bare_dashboard(request, project_slug):
    """The dashboard's reads without its page: the team and the project's summary on both sides."""
    from offers.selectors import project_summary

    project = project_get(user=request.user, slug=project_slug)
    summary = project_summary(project=project, user=request.user)
    team = [f"{m.user.full_name} <{m.user.email}>" for m in project_members(project=project)]
    return _text([*team, repr(summary)])


page(
    "rep: dashboard",
    url=lambda: reverse("cabinet:dashboard", kwargs={"project_slug": personas.MAIN_PROJECT_SLUG}),
    one_row_url=lambda: reverse("cabinet:dashboard", kwargs={"project_slug": personas.SOLO_PROJECT_SLUG}),
    persona=personas.rep,
    bare=bare_dashboard,
    admin=lambda: _members_admin_url(personas.MAIN_PROJECT_SLUG),
)

page(
    "staff: dashboard",
    url=lambda: reverse("staff:dashboard"),
    persona=personas.admin,
    bare=lambda request: _text([repr(user_counts(user=request.user)), repr(project_counts(user=request.user))]),
    admin="admin:accounts_user_changelist",
)

page(
    "staff: projects",
    url=lambda: reverse("staff:projects"),
    persona=personas.admin,
    bare=lambda request: _text(f"{p.name} {p.representative_count}" for p in project_list(user=request.user)),
    admin="admin:projects_project_changelist",
)

page(
    "staff: project detail",
    url=lambda: reverse("staff:project_detail", kwargs={"slug": personas.MAIN_PROJECT_SLUG}),
    one_row_url=lambda: reverse("staff:project_detail", kwargs={"slug": personas.SOLO_PROJECT_SLUG}),
    persona=personas.admin,
    bare=bare_project_team,
    admin=lambda: _members_admin_url(personas.MAIN_PROJECT_SLUG),
)


def bare_project_card(request, project_slug=None, slug=None):
    project = project_get(user=request.user, slug=project_slug or slug)
    return _text([project.name, project.description, project.inn, project.bik, project.settlement_account])


page(
    "rep: project card",
    url=lambda: reverse("cabinet:project", kwargs={"project_slug": personas.MAIN_PROJECT_SLUG}),
    persona=personas.rep,
    bare=bare_project_card,
    admin=lambda: reverse("admin:projects_project_change", args=[personas.project(personas.MAIN_PROJECT_SLUG).pk]),
)

page(
    "staff: project edit",
    url=lambda: reverse("staff:project_edit", kwargs={"slug": personas.MAIN_PROJECT_SLUG}),
    persona=personas.admin,
    bare=bare_project_card,
    admin=lambda: reverse("admin:projects_project_change", args=[personas.project(personas.MAIN_PROJECT_SLUG).pk]),
)
