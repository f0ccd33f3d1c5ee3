"""Reads of the marketplace (STYLE.md rule 2): each returns only what the user may see.

Sections: the owner's lots; moderation; the marketplace, responses and deals. Which projects a user may
see is `projects.selectors.projects_for(user)`; a project's cabinet is `request.project`.
"""

from __future__ import annotations

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from offers import codes
from offers.market_filters import DealFilter, MarketFilter, ResponseFilter
from offers.models import Deal, DealMessage, DealThreadRead, Lot, LotStatus, Response, ResponseStatus
from projects.models import Project

# --- the owner's lots (cabinet: /cabinet/<slug>/lots/) ----------------------------------------------------


# --- moderation (staff: /staff/lots/) ---------------------------------------------------------------------


# --- the marketplace, responses and deals (cabinet: market/, deals/) --------------------------------------
# Which side of a lot, response or deal the cabinet's project is on (SPEC §7.1: one cabinet, both sides).
SIDE_OWNER = "owner"  # the project's own lot: responses come to it, it is the deal's owner
SIDE_PARTNER = "partner"  # another project's lot: the project responded, it is the deal's partner

MARKET_CARD_FIELDS = (
    "id",
    "title",
    "description",
    "age_from",
    "age_to",
    "gender",
    "quota",
    "benefit_type",
    "benefit_value",
    "reward",
    "cashback_points",
    "valid_from",
    "valid_until",
    "published_at",
    "project__id",
    "project__name",
    "project__slug",
    "project__logo",
    "project__category",
)


def market_lots(*, project: Project):
    """Published lots of the other active projects, newest first, each with what `project` already did about
    it: its pending response (`my_response_id`) and its latest deal on it (`my_deal_code`, `my_deal_status`).
    One query for a page however many lots, responses and deals there are."""
    mine = Response.objects.filter(lot=OuterRef("pk"), project=project, status=ResponseStatus.PENDING)
    deals = Deal.objects.filter(lot=OuterRef("pk"), partner=project).order_by("-created_at", "-id")
    return (
        Lot.objects.filter(status=LotStatus.PUBLISHED, project__active=True)
        .exclude(project=project)
        .select_related("project")
        .only(*MARKET_CARD_FIELDS)
        .annotate(
            my_response_id=Subquery(mine.values("pk")[:1]),
            my_deal_code=Subquery(deals.values("code")[:1]),
            my_deal_status=Subquery(deals.values("status")[:1]),
        )
        .order_by("-published_at", "-id")
    )


def market_filterset(*, project: Project, data) -> MarketFilter:
    """The marketplace of `project`'s cabinet, bound to its search and filters."""
    return MarketFilter(data, queryset=market_lots(project=project))


def market_has_lots(*, project: Project) -> bool:
    """Has any other active project published a lot (the marketplace's empty state says which case it is)?"""
    return Lot.objects.filter(status=LotStatus.PUBLISHED, project__active=True).exclude(project=project).exists()


def market_lot_get(*, project: Project, pk: int) -> Lot | None:
    """A published lot of another active project, as the marketplace shows it to `project`, or None."""
    return (
        Lot.objects.filter(pk=pk, status=LotStatus.PUBLISHED, project__active=True)
        .exclude(project=project)
        .select_related("project")
        .first()
    )


def lot_pending_response(*, lot: Lot, project: Project) -> Response | None:
    """`project`'s open response to `lot`, if it has one."""
    return Response.objects.filter(lot=lot, project=project, status=ResponseStatus.PENDING).first()


def lot_deals_of(*, lot: Lot, project: Project) -> list[Deal]:
    """`project`'s deals on `lot` (as the partner), newest first."""
    return list(Deal.objects.filter(lot=lot, partner=project).only("code", "status", "created_at", "lot_id"))


def _party_to(project: Project) -> Q:
    return Q(lot__project=project) | Q(project=project)


def responses_filterset(*, project: Project, data) -> ResponseFilter:
    """Responses to `project`'s lots and from `project` to other lots: pending first, then newest. Each row
    has `side` ("owner": to the project's lot; "partner": from the project) and, once accepted, its deal."""
    queryset = (
        Response.objects.filter(_party_to(project))
        .select_related("lot", "lot__project", "project", "deal")
        .only(
            "id",
            "status",
            "channels",
            "expected_reach",
            "proposed_start",
            "created_at",
            "decided_at",
            "reason",
            "lot__id",
            "lot__title",
            "lot__project__id",
            "lot__project__name",
            "lot__project__slug",
            "project__id",
            "project__name",
            "project__slug",
            "deal__id",
            "deal__code",
            "deal__status",
        )
        .annotate(
            side=Case(When(lot__project=project, then=Value(SIDE_OWNER)), default=Value(SIDE_PARTNER)),
            waiting=Case(When(status=ResponseStatus.PENDING, then=Value(0)), default=Value(1)),
        )
        .order_by("waiting", "-created_at", "-id")
    )
    return ResponseFilter(data, queryset=queryset, project=project)


def response_get(*, project: Project, pk: int, side: str) -> Response | None:
    """A response `project` is party to on `side` ("owner": to its lot; "partner": from it), or None."""
    where = Q(lot__project=project) if side == SIDE_OWNER else Q(project=project)
    return Response.objects.filter(where, pk=pk).select_related("lot", "lot__project", "project").first()


def _deal_party(project: Project) -> Q:
    return Q(owner=project) | Q(partner=project)


def _unread_for(user) -> Subquery:
    """The number of messages of the outer deal newer than `user` last read its thread (all, if never)."""
    read_at = DealThreadRead.objects.filter(deal=OuterRef("deal"), user=user).values("read_at")[:1]
    unread = (
        DealMessage.objects.filter(deal=OuterRef("pk"))
        .exclude(author=user)
        .filter(Q(created_at__gt=Subquery(read_at)) | ~Exists(read_at))
        .order_by()
        .values("deal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


def deals_filterset(*, project: Project, user, data) -> DealFilter:
    """Deals where `project` is the owner or the partner, newest first, with both projects, the side and
    `user`'s unread messages of each thread — one query for a page."""
    queryset = (
        Deal.objects.filter(_deal_party(project))
        .select_related("owner", "partner", "lot")
        .only(
            "id",
            "code",
            "status",
            "created_at",
            "ended_at",
            "owner__id",
            "owner__name",
            "owner__slug",
            "owner__logo",
            "partner__id",
            "partner__name",
            "partner__slug",
            "partner__logo",
            "lot__id",
            "lot__title",
        )
        .annotate(
            side=Case(When(owner=project, then=Value(SIDE_OWNER)), default=Value(SIDE_PARTNER)),
            unread=_unread_for(user),
        )
        .order_by("-created_at", "-id")
    )
    return DealFilter(data, queryset=queryset, project=project)


def deal_get(*, project: Project, code: str) -> Deal | None:
    """The deal with `code` (as typed: any case, dashes, spaces) that `project` is party to, or None."""
    normalized = codes.normalize(code)
    if normalized is None:
        return None
    return (
        Deal.objects.filter(_deal_party(project), code=normalized)
        .select_related("lot", "owner", "partner", "response", "ended_by")
        .first()
    )


def deal_messages(*, deal: Deal) -> list[DealMessage]:
    """The deal's thread, oldest first, with each author and the project they wrote for."""
    return list(
        DealMessage.objects.filter(deal=deal)
        .select_related("author", "author_project")
        .only(
            "id",
            "body",
            "created_at",
            "author__id",
            "author__full_name",
            "author__email",
            "author_project__id",
            "author_project__name",
        )
        .order_by("created_at", "id")
    )
