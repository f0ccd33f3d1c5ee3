"""Reads about projects (STYLE.md rule 2), including the one answer to "which projects may this user see"."""

from django.db.models import Count, Q

from accounts.capabilities import Capability, has_capability
from accounts.models import Role
from projects.filters import CatalogFilter, ProjectFilter
from projects.models import CURATE_PROJECT, Membership, Project


def projects_for(user):
    """The projects whose data `user` may see: members see theirs, staff see all, others none."""
    if has_capability(user, Capability.VIEW_ALL_PROJECTS):
        return Project.objects.all()
    if has_capability(user, Capability.USE_PROJECT_CABINET):
        return Project.objects.filter(memberships__user=user, active=True)
    return Project.objects.none()


def cabinet_projects_for(user):
    """Projects whose cabinet `user` works in (the project switcher, the cabinet URL's project)."""
    if not has_capability(user, Capability.USE_PROJECT_CABINET):
        return Project.objects.none()
    return Project.objects.filter(memberships__user=user, active=True).order_by("name")


def cabinet_membership(*, user, slug: str) -> Membership | None:
    """The user's membership in the active project `slug` whose cabinet they work in (with the project), or None.

    Its `right` is what the policy checks: a viewer sees the project's pages and changes nothing."""
    if not has_capability(user, Capability.USE_PROJECT_CABINET):
        return None
    return (
        Membership.objects.select_related("project").filter(user=user, project__slug=slug, project__active=True).first()
    )


def curated_projects(user):
    """The projects `user` curates: a per-object grant (django-guardian) an administrator gives a moderator."""
    from guardian.shortcuts import get_objects_for_user

    if not getattr(user, "is_authenticated", False) or user.role != Role.MODERATOR or not user.is_active:
        return Project.objects.none()
    return get_objects_for_user(
        user, f"projects.{CURATE_PROJECT}", klass=Project, accept_global_perms=False, with_superuser=False
    )


def catalog_projects_for(user):
    """Projects whose card `user` may see in the ecosystem's catalog: every active one for anyone signed in
    (the catalog is the ecosystem's shop window); staff also see deactivated ones."""
    if has_capability(user, Capability.VIEW_ALL_PROJECTS):
        return Project.objects.all()
    if has_capability(user, Capability.USE_PROJECT_CABINET):
        return Project.objects.filter(active=True)
    return Project.objects.none()


def project_logo_get(*, user, slug: str):
    """The project whose logo `user` may see (with a logo), or None."""
    return catalog_projects_for(user).filter(slug=slug).exclude(logo="").only("slug", "logo").first()


def project_list(*, user):
    """Projects `user` may see, with their number of representatives (one query)."""
    return (
        projects_for(user)
        .annotate(representative_count=Count("memberships", filter=Q(memberships__user__role=Role.REPRESENTATIVE)))
        .order_by("name")
    )


def project_filterset(*, user, data) -> ProjectFilter:
    """The staff project list, bound to its search. A curator's list starts on "my projects" (the projects
    they curate); "all projects" is one click away. Everyone else has no such choice."""
    curated_ids = list(curated_projects(user).values_list("pk", flat=True))
    if curated_ids and not (data or {}).get("scope"):
        data = data.copy() if hasattr(data, "copy") else dict(data or {})
        data["scope"] = ProjectFilter.MINE
    return ProjectFilter(data, queryset=project_list(user=user), curated_ids=curated_ids)


def project_curators(*, project):
    """The moderators who curate `project` (guardian's per-object grants), by name."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import UserObjectPermission

    from accounts.models import User

    grants = UserObjectPermission.objects.filter(
        content_type=ContentType.objects.get_for_model(Project),
        object_pk=str(project.pk),
        permission__codename=CURATE_PROJECT,
    )
    return User.objects.filter(pk__in=grants.values("user_id")).order_by("full_name", "email")


def curator_candidates(*, project):
    """Active moderators who do not curate `project` yet: whom an administrator may appoint."""
    from accounts.models import User, UserStatus

    return (
        User.objects.filter(role=Role.MODERATOR, status=UserStatus.ACTIVE)
        .exclude(pk__in=project_curators(project=project).values("pk"))
        .only("pk", "email", "full_name")
        .order_by("full_name", "email")
    )


def staff_project_get(*, user, slug: str):
    """A project for the staff cabinet's pages that change it (every project, active or not)."""
    if not has_capability(user, Capability.MANAGE_PROJECTS):
        return None
    return Project.objects.filter(slug=slug).first()


def curated_projects_overview(*, user, limit: int = 12):
    """A curator's projects for the dashboard: the first `limit` by name, and whether there are more."""
    curated = curated_projects(user).order_by("name")
    rows = list(curated.only("pk", "name", "slug", "logo", "active", "category")[: limit + 1])
    return {"projects": rows[:limit], "more": len(rows) > limit}


def project_get(*, user, slug: str):
    return projects_for(user).filter(slug=slug).first()


def project_members(*, project):
    return (
        Membership.objects.filter(project=project)
        .select_related("user")
        .only("created_at", "project_id", "right", "user__email", "user__full_name", "user__phone", "user__status")
        .order_by("user__full_name", "user__email")
    )


def project_counts(*, user) -> dict:
    """How many projects there are, and how many are active (one aggregate query)."""
    return projects_for(user).aggregate(total=Count("id"), active=Count("id", filter=Q(active=True)))


# What a catalog card shows (the list, the Excel export): no legal data, no bank details.
CATALOG_CARD_FIELDS = (
    "name",
    "slug",
    "logo",
    "category",
    "description",
    "audience",
    "average_check",
    "client_points",
)
CATALOG_CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "address", "website")


def catalog_list(*, user):
    """The active projects of the ecosystem whose card `user` may see, by name, with the card's fields only."""
    return catalog_projects_for(user).filter(active=True).only(*CATALOG_CARD_FIELDS).order_by("name", "id")


def catalog_filterset(*, user, data) -> CatalogFilter:
    """The project catalog, bound to its search and category filter."""
    return CatalogFilter(data, queryset=catalog_list(user=user))


def catalog_project_get(*, user, slug: str):
    """One active project's full card (contacts, address, website) for the catalog, or None."""
    return (
        catalog_projects_for(user)
        .filter(active=True, slug=slug)
        .only(*CATALOG_CARD_FIELDS, *CATALOG_CONTACT_FIELDS)
        .first()
    )
