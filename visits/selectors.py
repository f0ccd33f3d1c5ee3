"""Reading visits and the ledger (every read is here; the web layer scopes by the cabinet's project)."""

from __future__ import annotations

from django.db.models import Subquery, Sum

from offers.models import Deal
from projects.models import Project
from visits.models import DealDay, Visit


def counter_recent(project: Project, *, limit: int = 5) -> list[Visit]:
    """The last visits recorded at `project`'s till (as the owner): the counter page's "just now" list."""
    return list(
        Visit.objects.filter(owner=project)
        .select_related("partner", "lot")
        .only("visited_at", "created_at", "reward", "points_accrued", "status", "source", "partner__name", "lot__title")
        .order_by("-created_at", "-id")[:limit]
    )


FIGURES = ("visits", "reward", "commission", "points_accrued", "points_spent")


def deal_visits(deal: Deal, *, limit: int = 20) -> tuple[list[Visit], dict]:
    """A deal's latest visits, newest first, and its totals from the daily roll-up (net of reversals) — in one
    query: the totals ride on every row as uncorrelated subqueries, which the database computes once. No visit
    at all means every total is 0."""
    totals = DealDay.objects.filter(deal=deal).order_by().values("deal")
    rows = list(
        Visit.objects.filter(deal=deal)
        .only(
            "visited_at",
            "check_amount",
            "reward",
            "commission",
            "points_accrued",
            "points_spent",
            "source",
            "status",
            "deal_id",
        )
        .annotate(**{f"total_{name}": Subquery(totals.annotate(t=Sum(name)).values("t")[:1]) for name in FIGURES})
        .order_by("-visited_at", "-id")[:limit]
    )
    figures = {name: (getattr(rows[0], f"total_{name}") or 0) if rows else 0 for name in FIGURES}
    return rows, figures


def payment_filterset(*, user, data):
    """Staff → Payments: every payment for staff who see all projects; nothing for anyone else."""
    from accounts.capabilities import Capability, has_capability
    from visits.filters import PaymentFilter
    from visits.models import Payment

    queryset = Payment.objects.none()
    if has_capability(user, Capability.VIEW_ALL_PROJECTS):
        queryset = (
            Payment.objects.select_related("payer", "payee", "recorded_by")
            .only(
                "paid_on",
                "amount",
                "period_from",
                "period_to",
                "note",
                "document",
                "document_name",
                "payer__name",
                "payee__name",
                "recorded_by__full_name",
            )
            .order_by("-paid_on", "-id")
        )
    return PaymentFilter(data or None, queryset=queryset)


def payment_get(*, user, pk: int):
    """A payment staff may see (its document's download), or None."""
    from accounts.capabilities import Capability, has_capability
    from visits.models import Payment

    if not has_capability(user, Capability.VIEW_ALL_PROJECTS):
        return None
    return Payment.objects.filter(pk=pk).first()


# --- visits and ledgers pages ----------------------------------------------------------------------------------

VISIT_ROW_FIELDS = (
    "visited_at",
    "created_at",
    "check_amount",
    "reward",
    "commission",
    "points_accrued",
    "points_spent",
    "source",
    "status",
    "owner_id",
    "partner_id",
    "deal__code",
    "lot__title",
    "owner__name",
    "partner__name",
)


def _visit_rows():
    from django.db.models import Exists, OuterRef

    from visits.models import Dispute, DisputeStatus

    open_dispute = Dispute.objects.filter(visit=OuterRef("pk"), status=DisputeStatus.OPEN)
    return (
        Visit.objects.select_related("deal", "lot", "owner", "partner")
        .only(*VISIT_ROW_FIELDS)
        .annotate(disputed=Exists(open_dispute))
    )


def staff_visit_filterset(*, user, data):
    """Staff → Visits: every visit for staff who see all projects."""
    from accounts.capabilities import Capability, has_capability
    from visits.filters import StaffVisitFilter

    queryset = _visit_rows() if has_capability(user, Capability.VIEW_ALL_PROJECTS) else Visit.objects.none()
    return StaffVisitFilter(data or None, queryset=queryset)


def project_visit_filterset(*, project: Project, data):
    """A cabinet's visits: those of the project's deals, on either side — never another pair's."""
    from django.db.models import Q

    from visits.filters import ProjectVisitFilter

    queryset = _visit_rows().filter(Q(owner=project) | Q(partner=project))
    return ProjectVisitFilter(data or None, queryset=queryset, project=project)


def project_visit_get(*, project: Project, pk: int) -> Visit | None:
    """A visit of one of the project's deals (as owner or partner), or None."""
    from django.db.models import Q

    return (
        Visit.objects.filter(Q(owner=project) | Q(partner=project), pk=pk)
        .select_related("deal", "lot", "owner", "partner")
        .first()
    )


def staff_visit_get(*, user, pk: int):
    """A visit with its ledger legs and disputes, for staff who see all projects; or None."""
    from django.db.models import Prefetch

    from accounts.capabilities import Capability, has_capability
    from visits.models import Dispute, LedgerEntry

    if not has_capability(user, Capability.VIEW_ALL_PROJECTS):
        return None
    return (
        Visit.objects.filter(pk=pk)
        .select_related("deal", "lot", "owner", "partner", "recorded_by")
        .prefetch_related(
            Prefetch("entries", queryset=LedgerEntry.objects.select_related("project", "counterparty").order_by("id")),
            Prefetch(
                "disputes",
                queryset=Dispute.objects.select_related("opened_by_project", "opened_by", "resolved_by").order_by(
                    "-created_at", "-id"
                ),
            ),
        )
        .first()
    )


def dispute_get(*, user, pk: int):
    from accounts.capabilities import Capability, has_capability
    from visits.models import Dispute

    if not has_capability(user, Capability.VIEW_ALL_PROJECTS):
        return None
    return Dispute.objects.filter(pk=pk).select_related("visit").first()


def dispute_list(*, user, limit: int = 100):
    """Open disputes first (oldest first: they wait longest), then the latest resolved ones."""
    from django.db.models import Case, IntegerField, Value, When

    from accounts.capabilities import Capability, has_capability
    from visits.models import Dispute, DisputeStatus

    if not has_capability(user, Capability.VIEW_ALL_PROJECTS):
        return []
    return list(
        Dispute.objects.select_related(
            "visit__deal", "visit__lot", "visit__owner", "visit__partner", "opened_by_project"
        )
        .annotate(
            waiting=Case(When(status=DisputeStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("waiting", "created_at", "id")[:limit]
    )


def ledger_filterset(*, project: Project, data):
    """`project`'s own ledger entries — another project's entries never appear."""
    from visits.filters import LedgerFilter
    from visits.models import LedgerEntry

    queryset = (
        LedgerEntry.objects.filter(project=project)
        .select_related("counterparty", "visit__deal")
        .only(
            "kind",
            "amount",
            "points",
            "day",
            "created_at",
            "counterparty__name",
            "visit__deal__code",
            "payment_id",
            "reverses_id",
        )
    )
    return LedgerFilter(data or None, queryset=queryset)


def ledger_balances(*, project: Project) -> list[dict]:
    """`project`'s balance with each counterparty (Misty: None) — sums of its entries, one query:
    money (+ owed to the project, − owed by it) and the clients' points."""
    from visits.models import LedgerEntry

    return list(
        LedgerEntry.objects.filter(project=project)
        .order_by()
        .values("counterparty_id", "counterparty__name")
        .annotate(amount=Sum("amount"), points=Sum("points"))
        .order_by("counterparty__name")
    )
