"""Reads of the marketplace (STYLE.md rule 2): each returns only what the user may see.

Sections: the owner's lots; moderation; the marketplace, responses and deals. Which projects a user may
see is `projects.selectors.projects_for(user)`; a project's cabinet is `request.project`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from offers import codes
from offers.filters import OwnLotFilter
from offers.market_filters import DealFilter, MarketFilter, ResponseFilter
from offers.models import (
    Attachment,
    Deal,
    DealMessage,
    DealStatus,
    DealThreadRead,
    Lot,
    LotRevision,
    LotStatus,
    LotStatusChange,
    Response,
    ResponseStatus,
    RevisionStatus,
)
from portal.filters import default_scope
from projects.models import Project

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


@dataclass(frozen=True)
class ProjectSummary:
    """What the dashboard shows of a project's work on both sides (SPEC §7.1), each number a link."""

    has_lots: bool  # the project ever drafted a lot (else the dashboard offers the first one)
    lots_by_status: dict[str, int]  # the project's lots (not archived) by status
    answers_waiting: int  # responses to the project's lots waiting for its answer
    responses_waiting: int  # the project's own responses waiting for the owners
    deals_as_owner: int  # active deals on the project's lots
    deals_as_partner: int  # active deals on other projects' lots
    unread_deals: int  # active or ended deals with messages the reader has not read
    market_lots: int  # published lots of the other active projects


def project_summary(*, project: Project, user, active_deals: tuple[int, int] | None = None) -> ProjectSummary:
    """The dashboard's numbers: five small queries on indexes, whatever the project's size. `active_deals`
    (as the owner, as the partner), when the caller already counted them with the period's figures
    (`visits.analytics.project_dashboard`), saves one."""
    # Archived lots are counted too (one query answers "has it ever posted a lot?"), and shown nowhere.
    all_lots = dict(Lot.objects.filter(project=project).order_by().values_list("status").annotate(n=Count("pk")))
    lots = {status: n for status, n in all_lots.items() if status != LotStatus.ARCHIVED}
    pending = dict(
        Response.objects.filter(party_to(project), status=ResponseStatus.PENDING)
        .annotate(side=Case(When(lot__project=project, then=Value(SIDE_OWNER)), default=Value(SIDE_PARTNER)))
        .order_by()
        .values_list("side")
        .annotate(n=Count("pk"))
    )
    deals = (
        {SIDE_OWNER: active_deals[0], SIDE_PARTNER: active_deals[1]}
        if active_deals is not None
        else dict(
            Deal.objects.filter(_deal_party(project), status=DealStatus.ACTIVE)
            .annotate(side=Case(When(owner=project, then=Value(SIDE_OWNER)), default=Value(SIDE_PARTNER)))
            .order_by()
            .values_list("side")
            .annotate(n=Count("pk"))
        )
    )
    unread = (
        Deal.objects.filter(_deal_party(project)).annotate(unread=unread_messages(user)).filter(unread__gt=0).count()
    )
    return ProjectSummary(
        has_lots=bool(all_lots),
        lots_by_status=lots,
        answers_waiting=pending.get(SIDE_OWNER, 0),
        responses_waiting=pending.get(SIDE_PARTNER, 0),
        deals_as_owner=deals.get(SIDE_OWNER, 0),
        deals_as_partner=deals.get(SIDE_PARTNER, 0),
        unread_deals=unread,
        market_lots=market_lots(project=project).order_by().count(),
    )


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


def _staff_sees_lots(user) -> bool:
    from accounts.capabilities import Capability, has_capability

    return has_capability(user, Capability.VIEW_ALL_PROJECTS)


# What a row of the pool shows.
POOL_FIELDS = (
    "title",
    "status",
    "quota",
    "reward",
    "created_at",
    "valid_from",
    "valid_until",
    "project__name",
    "project__slug",
    "project__category",
)


def moderation_lot_list(*, user):
    """Every lot, for staff who see every project (none for anyone else), with its project and whether
    something of it waits for moderation (one EXISTS on the one-pending index, in the same query)."""
    from django.db.models import Exists, OuterRef

    from offers.models import Lot, LotRevision, RevisionStatus

    if not _staff_sees_lots(user):
        return Lot.objects.none()
    pending = LotRevision.objects.filter(lot=OuterRef("pk"), status=RevisionStatus.PENDING)
    return Lot.objects.select_related("project").only(*POOL_FIELDS).annotate(has_pending=Exists(pending))


def moderation_lot_page_rows(*, user, rows) -> list:
    """The rows of one page of the pool, `rows` being the page's slice of the filtered, ordered pool.

    A "deferred join": the slice is read as ids only — sorting 20,000 (created_at, id) pairs is cheap,
    sorting 20,000 whole rows with their project is not (SQLite carries every selected column through its
    sorter) — and only the page's rows are then read whole, in the same query."""
    order = rows.query.order_by
    return list(moderation_lot_list(user=user).filter(pk__in=rows.values("pk")).order_by(*order))


def moderation_lot_filterset(*, user, data):
    """The staff pool of lots bound to its filters and order (`offers.moderation_filters.LotPoolFilter`)."""
    from offers.moderation_filters import LotPoolFilter
    from projects.selectors import curated_projects

    curated_ids = list(curated_projects(user).values_list("pk", flat=True))
    return LotPoolFilter(data, queryset=moderation_lot_list(user=user), curated_ids=curated_ids)


def moderation_queue(*, user):
    """The pending revisions of lots still under review or live, oldest first (what moderators work through)."""
    from offers.models import LotRevision, RevisionStatus
    from offers.moderation_filters import QUEUE_LOT_STATUSES

    if not _staff_sees_lots(user):
        return LotRevision.objects.none()
    return (
        LotRevision.objects.filter(status=RevisionStatus.PENDING, lot__status__in=QUEUE_LOT_STATUSES)
        .select_related("lot__project", "author")
        .only(
            "number",
            "created_at",
            "lot__title",
            "lot__status",
            "lot__published_at",
            "lot__project__name",
            "lot__project__slug",
            "author__full_name",
            "author__email",
        )
        .order_by("created_at", "id")
    )


def moderation_queue_filterset(*, user, data):
    """The queue bound to its filters. A curator's queue starts on "my projects" (the projects they
    curate); "all projects" is one click away, as on the staff project list."""
    from offers.moderation_filters import LotQueueFilter
    from projects.selectors import curated_projects

    curated_ids = list(curated_projects(user).values_list("pk", flat=True))
    return LotQueueFilter(
        default_scope(data, curated_ids), queryset=moderation_queue(user=user), curated_ids=curated_ids
    )


BADGE_CAP = 100  # the staff menu shows "99+" beyond this: counting a long queue on every page tells nothing more


def moderation_queue_count(*, user, cap: int = BADGE_CAP) -> int | None:
    """How many revisions wait (the staff menu's badge), counting at most `cap`: one bounded COUNT on the
    queue's index — the whole queue cost 5 ms on every staff page at the benchmark's size."""
    if not _staff_sees_lots(user):
        return None
    return moderation_queue(user=user).order_by()[:cap].count()


def moderation_lot_get(*, user, pk: int):
    """One lot for the staff card, with its project and `deals_count` (in the same query), or None."""
    from offers.models import Lot

    if not _staff_sees_lots(user):
        return None
    return Lot.objects.select_related("project").annotate(deals_count=_count(Deal)).filter(pk=pk).first()


def moderation_lot_revisions(*, lot) -> list:
    """The lot's revisions, newest first, with their author and reviewer (one query)."""
    return list(lot.revisions.select_related("author", "reviewer").order_by("-number"))


def moderation_lot_history(*, lot, limit: int = 100) -> list:
    """The lot's status changes, newest first, with who made them (one query; the newest `limit`)."""
    return list(lot.history.select_related("actor").order_by("-created_at", "-id")[:limit])


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


AFTER_PUBLISHED = (LotStatus.PAUSED, LotStatus.CLOSED, LotStatus.ARCHIVED)


def market_lot_get(*, project: Project, pk: int) -> Lot | None:
    """A lot of another active project as the marketplace shows it to `project`, or None: a published lot, or
    one in any later status that `project` has responded to (its responses and deals link here, so a paused
    or closed lot stays readable to the partners who worked on it)."""
    involved = Response.objects.filter(lot=OuterRef("pk"), project=project)
    return (
        Lot.objects.filter(pk=pk, project__active=True)
        .filter(Q(status=LotStatus.PUBLISHED) | Q(status__in=AFTER_PUBLISHED) & Exists(involved))
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


def _to_lots_of(project: Project) -> Q:
    """Responses to `project`'s lots, as `lot_id IN (its lots)`: with `project_id = …` beside it in an OR, both
    sides read their own index (a join to the lots made SQLite walk every response; 300 ms at 150k)."""
    return Q(lot__in=Lot.objects.filter(project=project).values("pk"))


def party_to(project: Project) -> Q:
    """Responses `project` is party to: to its lots, or its own (an OR each side of which reads an index)."""
    return _to_lots_of(project) | Q(project=project)


def responses_filterset(*, project: Project, data) -> ResponseFilter:
    """Responses to `project`'s lots and from `project` to other lots: pending first, then newest. Each row
    has `side` ("owner": to the project's lot; "partner": from the project) and, once accepted, its deal."""
    queryset = (
        Response.objects.filter(party_to(project))
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


def unread_messages(user, *, deal: str = "pk") -> Coalesce:
    """The number of messages of a deal by others, newer than `user` last read its thread (all, if never);
    `deal` names the outer row's deal: "pk" on deals, "deal" on responses (the overview)."""
    read_at = DealThreadRead.objects.filter(deal=OuterRef("deal"), user=user).values("read_at")[:1]
    unread = (
        DealMessage.objects.filter(deal=OuterRef(deal))
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
            unread=unread_messages(user),
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
    """The deal's thread, oldest first, with each author, the project they wrote for and the message's files
    as `files` (one query more — always one, however many messages and files, none included)."""
    messages = list(
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
    files: dict[int, list[Attachment]] = {}
    for attachment in _attachment_rows().filter(message__deal=deal):
        files.setdefault(attachment.message_id, []).append(attachment)
    for message in messages:
        message.files = files.get(message.pk, [])
    return messages


# --- attachments (offers.attachments: which files make a lot's terms) -------------------------------------
# Each download selector finds a file only where its reader may open it; anything else is None (the view's
# 404). The listing selectors read the rows a page shows, in one query.

ATTACHMENT_FIELDS = ("id", "lot_id", "message_id", "live", "display_name", "content_type", "size", "created_at")


def _attachment_rows():
    return Attachment.objects.only(*ATTACHMENT_FIELDS).order_by("created_at", "id")


def lot_attachments(*, lot: Lot) -> dict[int, Attachment]:
    """Every file of `lot` by id — the live set, files proposed, files only the history still names — for
    its owner's and the moderator's card (a snapshot's ids are looked up here). One query."""
    return {attachment.pk: attachment for attachment in _attachment_rows().filter(lot=lot)}


def lot_live_attachments(*, lot: Lot) -> list[Attachment]:
    """The files of `lot`'s live terms (what partners see), oldest first."""
    return list(_attachment_rows().filter(lot=lot, live=True))


def own_lot_attachment_get(*, project: Project, lot_pk: int, pk: int) -> Attachment | None:
    """A file of one of `project`'s lots — live, proposed or kept for the history — or None."""
    return Attachment.objects.filter(pk=pk, lot_id=lot_pk, lot__project=project).select_related("lot__project").first()


def market_attachment_get(*, project: Project, lot_pk: int, pk: int) -> Attachment | None:
    """A file of the live terms of a lot the marketplace shows `project` (`market_lot_get`), or None: never a
    file only proposed, removed, or of a lot that is not published."""
    return (
        Attachment.objects.filter(
            pk=pk, live=True, lot_id=lot_pk, lot__status=LotStatus.PUBLISHED, lot__project__active=True
        )
        .exclude(lot__project=project)
        .select_related("lot__project")
        .first()
    )


def deal_attachment_get(*, project: Project, code: str, pk: int) -> Attachment | None:
    """A file of a message of the deal `code` that `project` is party to, or None."""
    normalized = codes.normalize(code)
    if normalized is None:
        return None
    party = Q(message__deal__owner=project) | Q(message__deal__partner=project)
    return (
        Attachment.objects.filter(party, pk=pk, message__deal__code=normalized)
        .select_related("message__deal__owner")
        .first()
    )


def staff_attachment_get(*, user, pk: int) -> Attachment | None:
    """Any file — of a lot or of a deal's message — for staff who moderate (MODERATE_LOTS), else None."""
    from accounts.capabilities import Capability, has_capability

    if not has_capability(user, Capability.MODERATE_LOTS):
        return None
    return Attachment.objects.select_related("lot__project", "message__deal__owner").filter(pk=pk).first()


def attachment_project(attachment: Attachment) -> Project:
    """The project a file belongs to, for the journal: the lot's, or the deal's owner (as deal events)."""
    if attachment.lot_id is not None:
        return attachment.lot.project
    return attachment.message.deal.owner


# --- deals for staff (staff: /staff/deals/) ----------------------------------------------------------------
# Every staff role reads every deal (VIEW_ALL_PROJECTS); only MODERATE_LOTS writes, completes and cancels
# (`offers.services._deal_side`). Anyone else finds nothing here.

STAFF_DEAL_ROW_FIELDS = (
    "id",
    "code",
    "status",
    "created_at",
    "ended_at",
    "lot__id",
    "lot__title",
    "owner__id",
    "owner__name",
    "owner__slug",
    "partner__id",
    "partner__name",
    "partner__slug",
)


def staff_deals(*, user):
    """Every deal, for staff who see every project (none for anyone else)."""
    if not _staff_sees_lots(user):
        return Deal.objects.none()
    return Deal.objects.all()


def staff_deal_filterset(*, user, data):
    """Every deal bound to its filters and order (`offers.moderation_filters.StaffDealFilter`). A curator's
    list starts on "my projects" (deals where a project they curate is either side), as the queue does."""
    from offers.moderation_filters import StaffDealFilter
    from projects.selectors import curated_projects

    curated_ids = list(curated_projects(user).values_list("pk", flat=True))
    return StaffDealFilter(default_scope(data, curated_ids), queryset=staff_deals(user=user), curated_ids=curated_ids)


def staff_deal_page_rows(*, user, rows) -> list[Deal]:
    """The rows of one page of the staff deal list (`rows`: the page's slice of the filtered, ordered deals),
    each with its lot, both projects and `messages_count` — read whole only for the page, in one query (the
    deferred join of `moderation_lot_page_rows`: the filter and the sort run over ids)."""
    messages = (
        DealMessage.objects.filter(deal=OuterRef("pk")).order_by().values("deal").annotate(n=Count("pk")).values("n")
    )
    return list(
        staff_deals(user=user)
        .filter(pk__in=rows.values("pk"))
        .select_related("lot", "owner", "partner")
        .only(*STAFF_DEAL_ROW_FIELDS)
        .annotate(messages_count=Coalesce(Subquery(messages, output_field=IntegerField()), 0))
        .order_by(*rows.query.order_by)
    )


def staff_deal_get(*, user, code: str) -> Deal | None:
    """Any deal by its code (as typed: any case, dashes, spaces) for staff, or None."""
    normalized = codes.normalize(code)
    if normalized is None:
        return None
    return (
        staff_deals(user=user)
        .filter(code=normalized)
        .select_related("lot", "owner", "partner", "response", "ended_by")
        .first()
    )
