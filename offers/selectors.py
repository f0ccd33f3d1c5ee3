"""Reads of the marketplace (STYLE.md rule 2): each returns only what the user may see.

Sections: the owner's lots; moderation; the marketplace, responses and deals. Which projects a user may
see is `projects.selectors.projects_for(user)`; a project's cabinet is `request.project`.
"""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from offers.filters import OwnLotFilter
from offers.models import Deal, Lot, LotRevision, LotStatusChange, Response, RevisionStatus

# --- the owner's lots (cabinet: /cabinet/<slug>/lots/) ----------------------------------------------------
# `project` is the cabinet's project (`request.project`, already scoped to the user by the policy): every
# read here is of that project's own lots, so another project's lot id finds nothing.

OWN_LOT_ROW_FIELDS = (
    "id",
    "project_id",
    "title",
    "status",
    "quota",
    "reward",
    "valid_from",
    "valid_until",
    "created_at",
    "updated_at",
)


def own_lots(*, project):
    """The project's lots, newest first, each with `has_pending_revision` (new terms of a live lot waiting
    for moderation)."""
    pending = LotRevision.objects.filter(lot=OuterRef("pk"), status=RevisionStatus.PENDING)
    return (
        Lot.objects.filter(project=project)
        .only(*OWN_LOT_ROW_FIELDS)
        .annotate(has_pending_revision=Exists(pending))
        .order_by("-created_at", "-id")
    )


def own_lot_filterset(*, project, data) -> OwnLotFilter:
    """The project's lots bound to the list's search and status filter."""
    return OwnLotFilter(data, queryset=own_lots(project=project))


def project_has_lots(*, project) -> bool:
    """Whether the project ever drafted a lot (the dashboard's first-lot empty state)."""
    return Lot.objects.filter(project=project).exists()


def _count(model, **filters):
    rows = model.objects.filter(lot=OuterRef("pk"), **filters).order_by().values("lot").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), Value(0))


def own_lot_get(*, project, pk: int) -> Lot | None:
    """One of the project's lots with `responses_count` and `deals_count`, or None (another project's id)."""
    return (
        Lot.objects.filter(project=project, pk=pk)
        .select_related("project")
        .annotate(responses_count=_count(Response), deals_count=_count(Deal))
        .first()
    )


def own_lot_latest_revision(*, lot: Lot) -> LotRevision | None:
    """The lot's newest revision (what was last proposed and what moderation said of it), with its reviewer."""
    return lot.revisions.select_related("reviewer").order_by("-number").first()


def own_lot_history(*, lot: Lot, limit: int = 50) -> list[LotStatusChange]:
    """The newest `limit` rows of the lot's status history, each with its actor."""
    return list(
        LotStatusChange.objects.filter(lot=lot)
        .select_related("actor")
        .only("lot_id", "from_status", "to_status", "comment", "created_at", "actor__full_name", "actor__email")
        .order_by("-created_at", "-id")[:limit]
    )


# --- moderation (staff: /staff/lots/) ---------------------------------------------------------------------


# --- the marketplace, responses and deals (cabinet: market/, deals/) --------------------------------------
