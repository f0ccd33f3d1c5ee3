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


# --- access requests ---------------------------------------------------------------------------------------


def _access_requests_for(user):
    from accounts.models import AccessRequest

    if not has_capability(user, Capability.USE_STAFF_CABINET):
        return AccessRequest.objects.none()
    return AccessRequest.objects.all()


def access_request_filterset(*, user, data):
    """The staff queue: open requests first, the oldest of them first; then decided ones, latest decision first."""
    from django.db.models import Case, F, IntegerField, Value, When

    from accounts.filters import AccessRequestFilter
    from accounts.models import AccessRequestStatus

    queryset = (
        _access_requests_for(user)
        .annotate(
            queue_rank=Case(
                When(status=AccessRequestStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("queue_rank", F("decided_at").desc(nulls_first=True), "created_at", "id")
        .only("company", "name", "email", "phone", "status", "times_requested", "created_at", "decided_at")
    )
    return AccessRequestFilter(data, queryset=queryset)


def access_request_get(*, user, pk: int):
    """One request with who decided it and the account it made, and whether its email has an account now."""
    from django.db.models import Exists, OuterRef

    return (
        _access_requests_for(user)
        .select_related("decided_by", "user")
        .annotate(has_account=Exists(User.objects.filter(email=OuterRef("email"))))
        .filter(pk=pk)
        .first()
    )


def open_access_request_count(*, user) -> int | None:
    """How many requests wait for a decision (the staff menu's badge): one COUNT on the queue's index."""
    from accounts.models import AccessRequestStatus

    if not has_capability(user, Capability.USE_STAFF_CABINET):
        return None
    return _access_requests_for(user).filter(status=AccessRequestStatus.OPEN).count()


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


def has_two_factor(*, user) -> bool:
    """Whether the person has a second factor set up (an authenticator app, recovery codes, a security key)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user).exists()
