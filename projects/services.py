"""Writes about projects (STYLE.md rule 1): the card, activation, memberships and curators.

Staff own a project's identity, legal data and bank details (administrators only: `MANAGE_PROJECTS`); a
project's *manager* may edit the public half of its own card (`project_card_update`). Every change is
audited with its fields' old and new values. `actor=None` is the system (a management command such as
`seed_demo`), never a web request: views always pass `request.user`.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import auditlog
from accounts.capabilities import Capability, has_capability
from accounts.models import Role
from portal.exceptions import ApplicationError
from projects import events
from projects.logos import PreparedLogo, delete_logo_after_commit, store_logo
from projects.models import CURATE_PROJECT, Category, Membership, Project, ProjectRight
from projects.validators import bank_details_errors, validate_inn

# The card's fields staff edit (`active` goes through `project_set_active`, the logo through its own path).
STAFF_FIELDS = (
    "name",
    "slug",
    "category",
    "description",
    "audience",
    "average_check",
    "client_points",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
    "website",
    "legal_name",
    "inn",
    "bank_name",
    "bik",
    "settlement_account",
    "correspondent_account",
)
# What a project's manager edits on its own card: how the project presents itself, never who it is
# (name, slug), what it is paid on (legal data, bank details) or the points the loyalty app reports.
REPRESENTATIVE_FIELDS = (
    "description",
    "audience",
    "average_check",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
    "website",
)
# Paths under /staff/projects/ that are pages, not projects.
RESERVED_SLUGS = frozenset({"new", "export"})
SLUG_RE = re.compile(r"^[-a-z0-9]+$")


def _require_manager_of_projects(actor) -> None:
    if actor is not None and not has_capability(actor, Capability.MANAGE_PROJECTS):
        raise ApplicationError(_("Only an administrator can manage projects."))


def _first_message(error: ValidationError) -> str:
    return str(error.messages[0])


def _check_card(values: dict, *, project: Project | None) -> None:
    """The rules a card must keep, whoever writes it (forms check the same first, to show them per field)."""
    if "name" in values and not (values["name"] or "").strip():
        raise ApplicationError(_("Enter the project's name."))
    if "slug" in values:
        slug = values["slug"] or ""
        if not SLUG_RE.match(slug):
            raise ApplicationError(_("A slug is lower-case Latin letters, digits and hyphens."))
        if slug in RESERVED_SLUGS:
            raise ApplicationError(_("This slug is reserved by the portal: choose another."))
        taken = Project.objects.filter(slug=slug)
        if project is not None:
            taken = taken.exclude(pk=project.pk)
        if taken.exists():
            raise ApplicationError(_("Another project already uses this slug."))
    if "category" in values and values["category"] not in Category.values:
        raise ApplicationError(_("Choose a category from the list."))
    if values.get("inn"):
        try:
            validate_inn(values["inn"])
        except ValidationError as exc:
            raise ApplicationError(_first_message(exc)) from None
    bank = {f: values.get(f) or "" for f in ("bik", "settlement_account", "correspondent_account")}
    errors = bank_details_errors(**bank)
    if errors:
        raise ApplicationError(_first_message(next(iter(errors.values()))))


def _apply(project: Project, data: dict, fields: tuple[str, ...], logo: PreparedLogo | None, remove_logo: bool):
    """Write the changed fields and the logo onto `project` (locked); returns the changes {field: (old, new)}."""
    changes = {}
    for field in fields:
        if field in data and getattr(project, field) != data[field]:
            changes[field] = (getattr(project, field), data[field])
            setattr(project, field, data[field])
    old_logo = project.logo.name or ""
    if logo is not None:
        project.logo = store_logo(logo)
        changes["logo"] = (old_logo, project.logo.name)
    elif remove_logo and old_logo:
        project.logo = ""
        changes["logo"] = (old_logo, "")
    if changes:
        project.save(update_fields=[*changes, "updated_at"])
    if "logo" in changes:
        delete_logo_after_commit(old_logo)
    return changes


@transaction.atomic
def project_create(*, actor, data: dict, logo: PreparedLogo | None = None) -> Project:
    _require_manager_of_projects(actor)
    values = {field: data[field] for field in STAFF_FIELDS if field in data}
    _check_card({"name": "", "slug": "", "category": Category.OTHER} | values, project=None)
    project = Project(**values, active=bool(data.get("active", True)))
    if logo is not None:
        project.logo = store_logo(logo)
    project.save()
    auditlog.record(
        actor=actor,
        event=events.PROJECT_CREATED,
        obj=project,
        changes={field: value for field, value in values.items() if value not in ("", None)}
        | {"active": project.active}
        | ({"logo": project.logo.name} if project.logo else {}),
    )
    return project


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def project_update(
    *, project: Project, actor, data: dict, logo: PreparedLogo | None = None, remove_logo: bool = False
) -> Project:
    """Staff edit a card. `data` may also carry `active`, which goes through `project_set_active`."""
    _require_manager_of_projects(actor)
    stored = _locked(project)
    values = {field: data[field] for field in STAFF_FIELDS if field in data}
    _check_card({field: getattr(stored, field) for field in STAFF_FIELDS} | values, project=stored)
    changes = _apply(stored, values, STAFF_FIELDS, logo, remove_logo)
    if changes:
        auditlog.record(actor=actor, event=events.PROJECT_UPDATED, obj=stored, changes=changes)
    if "active" in data and bool(data["active"]) != stored.active:
        stored = project_set_active(project=stored, actor=actor, active=bool(data["active"]))
    return stored


@transaction.atomic
def project_card_update(
    *, project: Project, actor, data: dict, logo: PreparedLogo | None = None, remove_logo: bool = False
) -> Project:
    """A project's manager edits the public half of its own card (REPRESENTATIVE_FIELDS and the logo)."""
    if not Membership.objects.filter(
        user=actor, project=project, right=ProjectRight.MANAGER, project__active=True
    ).exists() or not has_capability(actor, Capability.USE_PROJECT_CABINET):
        raise ApplicationError(_("Only a manager of the project can edit its card."))
    stored = _locked(project)
    values = {field: data[field] for field in REPRESENTATIVE_FIELDS if field in data}
    _check_card(values, project=stored)
    changes = _apply(stored, values, REPRESENTATIVE_FIELDS, logo, remove_logo)
    if changes:
        auditlog.record(actor=actor, event=events.PROJECT_UPDATED, obj=stored, changes=changes)
    return stored


@transaction.atomic
def project_set_active(*, project: Project, actor, active: bool) -> Project:
    """Deactivate or activate a project. A deactivated project leaves the catalog and every cabinet (its
    memberships stay, so its history and its people are there when it comes back); its representatives keep
    working for their other projects."""
    _require_manager_of_projects(actor)
    stored = _locked(project)
    if stored.active == active:
        return stored
    stored.active = active
    stored.save(update_fields=["active", "updated_at"])
    auditlog.record(
        actor=actor,
        event=events.PROJECT_ACTIVATED if active else events.PROJECT_DEACTIVATED,
        obj=stored,
        changes={"active": (not active, active)},
    )
    return stored


@transaction.atomic
def membership_add(*, user, project: Project, right: str = ProjectRight.MANAGER) -> Membership:
    membership, _created = Membership.objects.get_or_create(user=user, project=project, defaults={"right": right})
    return membership


@transaction.atomic
def curator_grant(*, project: Project, user, actor) -> bool:
    """Make a moderator the curator of `project` (a per-object grant through django-guardian). Returns whether
    anything changed: granting twice records one event."""
    from guardian.shortcuts import assign_perm

    _require_manager_of_projects(actor)
    if user.role != Role.MODERATOR or not user.is_active:
        raise ApplicationError(_("Only an active moderator can curate projects."))
    if _curates(user, project):
        return False
    assign_perm(f"projects.{CURATE_PROJECT}", user, project)
    auditlog.record(actor=actor, event=events.CURATOR_GRANTED, obj=project, changes={"curator": (None, user.email)})
    return True


@transaction.atomic
def curator_revoke(*, project: Project, user, actor) -> bool:
    from guardian.shortcuts import remove_perm

    _require_manager_of_projects(actor)
    if not _curates(user, project):
        return False
    remove_perm(f"projects.{CURATE_PROJECT}", user, project)
    auditlog.record(actor=actor, event=events.CURATOR_REVOKED, obj=project, changes={"curator": (user.email, None)})
    return True


def _curates(user, project: Project) -> bool:
    from projects.selectors import project_curators

    return project_curators(project=project).filter(pk=user.pk).exists()
