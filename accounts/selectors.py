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


# --- the staff user catalog and a user's card ------------------------------------------------------------

# What a catalog row shows; the projects come in one more query for the whole page (`_with_projects`).
CATALOG_FIELDS = ("email", "full_name", "phone", "role", "status", "last_login", "invited_at")


def _with_projects(queryset):
    from django.db.models import Prefetch

    from projects.models import Membership

    return queryset.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("project")
            .only("user_id", "right", "project__name", "project__slug", "project__active")
            .order_by("project__name"),
        )
    )


def users_for(user):
    """The people `user` may see in the staff cabinet: everyone for staff, nobody otherwise."""
    if not has_capability(user, Capability.USE_STAFF_CABINET):
        return User.objects.none()
    return User.objects.all()


def user_filterset(*, user, data):
    """The staff user catalog bound to its filters and order (`accounts.filters.UserFilter`)."""
    from accounts.filters import UserFilter

    return UserFilter(data, queryset=_with_projects(users_for(user).only(*CATALOG_FIELDS)))


def user_export_rows(*, filterset):
    """The filtered catalog for the export: the same rows and order, with projects."""
    return filterset.qs


def user_get(*, user, pk: int) -> User | None:
    """One person's card for staff: contacts, who invited them, their projects with rights."""
    return _with_projects(users_for(user).select_related("invited_by")).filter(pk=pk).first()
