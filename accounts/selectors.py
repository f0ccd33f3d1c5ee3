"""Reads about people (STYLE.md rule 2)."""

from django.db.models import Count, Q

from accounts.capabilities import Capability, has_capability
from accounts.models import Role, User, UserStatus


def user_counts(*, user) -> dict:
    """Ecosystem head-count for the staff dashboard: one aggregate query whatever the size."""
    if not has_capability(user, Capability.USE_STAFF_CABINET):
        return {}
    return User.objects.aggregate(
        representatives=Count("id", filter=Q(role=Role.REPRESENTATIVE, status=UserStatus.ACTIVE)),
        staff=Count("id", filter=~Q(role=Role.REPRESENTATIVE) & Q(status=UserStatus.ACTIVE)),
        invited=Count("id", filter=Q(status=UserStatus.INVITED)),
        blocked=Count("id", filter=Q(status=UserStatus.BLOCKED)),
    )
