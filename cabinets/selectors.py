from django.db.models import Count, Q

from cabinets.models import Role, Status, User
from projects.models import Project


def staff_dashboard_figures() -> dict:
    """Ecosystem head-count for the staff dashboard: two aggregate queries whatever the size."""
    users = User.objects.aggregate(
        representatives=Count("id", filter=Q(role=Role.REPRESENTATIVE, status=Status.ACTIVE)),
        staff=Count("id", filter=~Q(role=Role.REPRESENTATIVE) & Q(status=Status.ACTIVE)),
        invited=Count("id", filter=Q(status=Status.INVITED)),
        blocked=Count("id", filter=Q(status=Status.BLOCKED)),
    )
    projects = Project.objects.aggregate(total=Count("id"), active=Count("id", filter=Q(active=True)))
    return {"users": users, "projects": projects}
