from django.db.models import Count, Q

from cabinets.models import Role
from cabinets.policy import projects_for
from projects.models import Membership


def project_list(*, user):
    """Projects `user` may see, with their number of representatives (one query)."""
    return projects_for(user).annotate(
        representative_count=Count("memberships", filter=Q(memberships__user__role=Role.REPRESENTATIVE))
    ).order_by("name")


def project_get(*, user, slug: str):
    return projects_for(user).filter(slug=slug).first()


def project_members(*, project):
    return Membership.objects.filter(project=project).select_related("user").order_by("user__full_name", "user__email")
