from django.db.models import Count, Q

from cabinets.models import Role
from cabinets.policy import projects_for
from projects.models import Membership


def project_list(*, user, search: str = ""):
    """Projects `user` may see, with their number of representatives (one query)."""
    projects = projects_for(user)
    if search:
        projects = projects.filter(Q(name__icontains=search) | Q(slug__icontains=search))
    return projects.annotate(
        representative_count=Count("memberships", filter=Q(memberships__user__role=Role.REPRESENTATIVE))
    ).order_by("name")


def project_get(*, user, slug: str):
    return projects_for(user).filter(slug=slug).first()


def project_members(*, project):
    return (
        Membership.objects.filter(project=project)
        .select_related("user")
        .only("created_at", "project_id", "user__email", "user__full_name", "user__phone", "user__status")
        .order_by("user__full_name", "user__email")
    )
