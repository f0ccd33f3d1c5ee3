"""Reads about people (STYLE.md rule 2)."""

from allauth.account.models import EmailAddress
from django.db.models import Count, Q

from accounts.capabilities import Capability, has_capability
from accounts.models import Role, User, UserStatus, normalize_email


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


def user_by_email(email: str) -> User | None:
    """The account whose login is `email` as someone typed it (any case, spaces around), or None."""
    email = normalize_email(email)
    return User.objects.filter(email=email).first() if email else None


def email_in_use(*, email: str, exclude_user: User | None = None) -> bool:
    """Does another account sign in with, or receive password resets at, `email`?

    allauth finds people by `User.email` and by its own `EmailAddress` rows: both count."""
    email = normalize_email(email)
    users = User.objects.filter(email__iexact=email)
    addresses = EmailAddress.objects.filter(email__iexact=email)
    if exclude_user is not None:
        users = users.exclude(pk=exclude_user.pk)
        addresses = addresses.exclude(user_id=exclude_user.pk)
    return users.exists() or addresses.exists()
