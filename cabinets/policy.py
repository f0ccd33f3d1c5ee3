"""The one access policy of the portal (STYLE.md rule 4).

Roles map to named capabilities; `has_capability` is the one check, `capability_required` the one
decorator and `CapabilityRequiredMixin` the one mixin. Representatives are scoped to their projects:
a project they are not a member of does not exist for them (404); a capability their role lacks is a
403; an anonymous visitor is sent to the login page.

Every denial goes through `deny()`, so the audit journal can record it in one place.
"""

from __future__ import annotations

import enum
import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cabinets.models import Role


class Capability(enum.StrEnum):
    USE_PROJECT_CABINET = "use_project_cabinet"  # work in the cabinet of one's own projects
    USE_STAFF_CABINET = "use_staff_cabinet"
    VIEW_ALL_PROJECTS = "view_all_projects"
    MANAGE_USERS = "manage_users"
    MANAGE_PROJECTS = "manage_projects"
    MODERATE_LOTS = "moderate_lots"
    UPLOAD_REPORTS = "upload_reports"
    RECORD_VISITS = "record_visits"
    EXPORT_ALL = "export_all"
    VIEW_AUDIT = "view_audit"
    EDIT_HELP = "edit_help"
    USE_DJANGO_ADMIN = "use_django_admin"
    RESEND_EMAILS = "resend_emails"  # staff "Email delivery": queue failed emails again (admin)


_STAFF_READ = {Capability.USE_STAFF_CABINET, Capability.VIEW_ALL_PROJECTS, Capability.VIEW_AUDIT, Capability.EXPORT_ALL}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.REPRESENTATIVE: frozenset({Capability.USE_PROJECT_CABINET}),
    Role.DIRECTOR: frozenset(_STAFF_READ),  # read-only: sees and exports everything, changes nothing
    Role.MODERATOR: frozenset(_STAFF_READ | {Capability.MODERATE_LOTS, Capability.UPLOAD_REPORTS, Capability.RECORD_VISITS}),
    Role.ADMIN: frozenset(Capability) - {Capability.USE_PROJECT_CABINET},
}


def capabilities_of(user) -> frozenset[Capability]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return ROLE_CAPABILITIES.get(user.role, frozenset())


def has_capability(user, capability: Capability) -> bool:
    """The one check. Templates use it through `request.capabilities`."""
    return capability in capabilities_of(user)


def deny(request, *, status: int, reason: str = ""):
    """Raise the response the policy wants: 404 hides someone else's object, 403 a missing capability."""
    hook = getattr(settings, "PORTAL_ACCESS_DENIED_HOOK", None)
    if hook:
        from django.utils.module_loading import import_string

        import_string(hook)(request=request, status=status, reason=reason)
    if status == 404:
        raise Http404(reason)
    raise PermissionDenied(reason)


def projects_for(user):
    """The projects whose data `user` may see: members see theirs, staff see all, others none."""
    from projects.models import Project

    if has_capability(user, Capability.VIEW_ALL_PROJECTS):
        return Project.objects.all()
    if has_capability(user, Capability.USE_PROJECT_CABINET):
        return Project.objects.filter(memberships__user=user, active=True)
    return Project.objects.none()


def cabinet_projects_for(user):
    """Projects whose cabinet `user` works in (the project switcher)."""
    from projects.models import Project

    if not has_capability(user, Capability.USE_PROJECT_CABINET):
        return Project.objects.none()
    return Project.objects.filter(memberships__user=user, active=True).order_by("name")


def project_for(request, slug: str):
    """The project named in a cabinet URL, if the user works in it; anything else is a 404."""
    project = cabinet_projects_for(request.user).filter(slug=slug).first()
    if project is None:
        deny(request, status=404, reason="project not found")
    return project


def check(request, capability: Capability | None, kwargs: dict) -> None:
    """Apply the policy to one request: login, capability, then project scope (`project_slug` kwarg)."""
    if not request.user.is_authenticated:
        raise _LoginRequired
    if capability is not None and not has_capability(request.user, capability):
        deny(request, status=403, reason=f"missing capability {capability}")
    if "project_slug" in kwargs:
        request.project = project_for(request, kwargs.pop("project_slug"))


class _LoginRequired(Exception):
    pass


def capability_required(capability: Capability | None = None):
    """The one decorator: `@capability_required(Capability.MODERATE_LOTS)`.

    With a `project_slug` URL kwarg the view receives `request.project`, already scoped to the user.
    `None` means "any signed-in user" (profile, notifications).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                check(request, capability, kwargs)
            except _LoginRequired:
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        wrapped.portal_capability = capability
        return wrapped

    return decorator


class CapabilityRequiredMixin:
    """The one mixin, for class-based views: set `capability = Capability.X` (or None for any user)."""

    capability: Capability | None = None

    def dispatch(self, request, *args, **kwargs):
        try:
            check(request, self.capability, kwargs)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)
