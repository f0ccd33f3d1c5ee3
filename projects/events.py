"""Projects' event codes: what the audit journal records about projects and their curators.

Registered in `ProjectsConfig.ready()` (docs/RECIPES.md, "Add a state change").
"""

from django.utils.translation import gettext_lazy as _

PROJECT_CREATED = "projects.project.created"
PROJECT_UPDATED = "projects.project.updated"
PROJECT_DEACTIVATED = "projects.project.deactivated"
PROJECT_ACTIVATED = "projects.project.activated"
CURATOR_GRANTED = "projects.curator.granted"
CURATOR_REVOKED = "projects.curator.revoked"

AUDIT_EVENTS = {
    PROJECT_CREATED: _("Project created"),
    PROJECT_UPDATED: _("Project updated"),
    PROJECT_DEACTIVATED: _("Project deactivated"),
    PROJECT_ACTIVATED: _("Project activated"),
    CURATOR_GRANTED: _("Curator appointed"),
    CURATOR_REVOKED: _("Curator removed"),
}

NOTIFICATION_EVENTS = ()
