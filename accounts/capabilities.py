"""The capability table: what each role may do (STYLE.md rule 4, the domain half of the one access policy).

Roles map to named capabilities; `has_capability` is the one check. The web half — the decorator, the
mixin, `deny()` and resolving `request.project` — is `cabinets/access.py`.
"""

from __future__ import annotations

import enum

from accounts.models import Role


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
    Role.MODERATOR: frozenset(
        _STAFF_READ | {Capability.MODERATE_LOTS, Capability.UPLOAD_REPORTS, Capability.RECORD_VISITS}
    ),
    Role.ADMIN: frozenset(Capability) - {Capability.USE_PROJECT_CABINET},
}


def capabilities_of(user) -> frozenset[Capability]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return ROLE_CAPABILITIES.get(user.role, frozenset())


def has_capability(user, capability: Capability) -> bool:
    """The one check. Templates use it through `request.capabilities`."""
    return capability in capabilities_of(user)
