"""Writing referred visits and the ledger. `visit_record` is the only way a visit enters the portal — the
counter page, the import, the API and the demo all call it (the import through `record_in_transaction`).

The quota is never oversold (../shared/PATTERNS.md, after pretix): in one transaction, lock the lot's row
first, count its confirmed visits after the lock, insert the visit, its ledger legs and the roll-ups, and
close the lot when the quota is reached; commit releases the lock. On PostgreSQL the lock is
`SELECT … FOR UPDATE` with a `lock_timeout`; SQLite has one writer at a time, and the transaction takes the
write lock with its first statement (a no-op UPDATE of the lot) so that nobody writes between count and insert.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

import auditlog
from accounts.capabilities import Capability, has_capability
from accounts.models import User
from offers import codes
from offers.budget import lot_budget
from offers.models import CloseReason, Deal, DealStatus, Lot, LotStatus
from offers.services import is_manager, lot_close
from portal.exceptions import ApplicationError
from projects.models import Project
from visits import events, rollups
from visits.clients import client_key
from visits.models import EntryKind, LedgerEntry, Visit, VisitSource, VisitStatus

MAX_CHECK_AMOUNT = Decimal("100000000")  # ₽: far above any real check
MAX_POINTS = 10_000_000
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)  # a till's clock a little ahead of ours

# Every refusal's stable code (the API returns it; docs/API: the error table) and its message.
REFUSALS = {
    "unknown_code": _("No deal has this code. Check the code on the client's card."),
    "invalid_client_phone": _(
        "This is not a phone number: type it with the country code or starting with 8, e.g. +7 916 123-45-67."
    ),
    "invalid_client_card": _("This is not a card number: 4 to 32 letters and digits."),
    "invalid_amount": _("The check amount must be a number from 0 to 100 000 000 ₽, with at most two decimals."),
    "invalid_points": _("Points spent must be a whole number from 0 to 10 000 000."),
    "visit_in_future": _("The visit time is in the future."),
    "visit_before_deal": _("The visit is earlier than the deal: the deal started on %(date)s."),
    "deal_completed": _("This deal is completed: no more clients are counted through it."),
    "deal_cancelled": _("This deal is cancelled: no more clients are counted through it."),
    "lot_paused": _("The lot is paused: its owner takes no clients through it for now."),
    "client_counted": _("This client has already been counted for this lot."),
    "quota_reached": _("The lot's quota is reached: %(quota)s clients."),
    "external_id_conflict": _("This external id was already used for another visit, with other data."),
    "busy": _("The lot is busy with another visit right now. Try again in a moment."),
    "not_allowed": _("Only a manager of the deal's owner or Misty staff can record its visits."),
}


class VisitRefused(ApplicationError):
    """A visit the portal does not count. `code` is stable (the API's error code); `message` is translated."""

    def __init__(self, code: str, **params):
        message = REFUSALS[code]
        if params:
            message = message % params
        super().__init__(message, extra={"code": code, **params})
        self.code = code


@dataclass(frozen=True)
class Recorded:
    visit: Visit
    created: bool  # False: the same external id and data were sent before, and this is that visit
    quota_reached: bool = False  # this visit filled the lot: it closed, its deals completed


@dataclass(frozen=True)
class VisitInput:
    """A visit as typed or sent, checked and normalized (`clean_visit`); no database read yet."""

    code: str
    client: str  # visits.clients.client_key
    visited_at: datetime.datetime | None  # None: now
    check_amount: Decimal | None
    points_spent: int
    external_id: str

    def payload_hash(self) -> str:
        """What makes a retry "the same request": everything the caller sent, never the time we filled in."""
        plain = [
            self.code,
            self.client,
            self.visited_at.isoformat() if self.visited_at else "",
            str(self.check_amount) if self.check_amount is not None else "",
            self.points_spent,
        ]
        return hashlib.sha256(json.dumps(plain).encode()).hexdigest()


def clean_visit(
    *,
    code: str,
    client_phone: str | None = None,
    client_card: str | None = None,
    visited_at: datetime.datetime | None = None,
    check_amount=None,
    points_spent=0,
    external_id: str = "",
) -> VisitInput:
    """Check what was typed or sent; raises `VisitRefused` with the first problem."""
    normalized = codes.normalize(code or "")
    if normalized is None:
        raise VisitRefused("unknown_code")
    if client_card not in (None, ""):
        client = client_key(card=str(client_card))
        if client is None:
            raise VisitRefused("invalid_client_card")
    else:
        client = client_key(phone=str(client_phone or ""))
        if client is None:
            raise VisitRefused("invalid_client_phone")
    amount = None
    if check_amount not in (None, ""):
        try:
            amount = Decimal(str(check_amount).replace(",", ".").replace(" ", "").replace("\u00a0", ""))
        except InvalidOperation:
            raise VisitRefused("invalid_amount") from None
        if (
            not amount.is_finite()
            or amount < 0
            or amount > MAX_CHECK_AMOUNT
            or amount != amount.quantize(Decimal("0.01"))
        ):
            raise VisitRefused("invalid_amount")
        amount = amount.quantize(Decimal("0.01"))
    try:
        points = int(str(points_spent if points_spent not in (None, "") else 0).strip())
    except ValueError:
        raise VisitRefused("invalid_points") from None
    if not 0 <= points <= MAX_POINTS:
        raise VisitRefused("invalid_points")
    if visited_at is not None:
        if timezone.is_naive(visited_at):
            visited_at = timezone.make_aware(visited_at, ZoneInfo(settings.TIME_ZONE))
        if visited_at > timezone.now() + FUTURE_TOLERANCE:
            raise VisitRefused("visit_in_future")
    return VisitInput(
        code=normalized,
        client=client,
        visited_at=visited_at,
        check_amount=amount,
        points_spent=points,
        external_id=(external_id or "").strip()[:100],
    )


def portal_day(moment: datetime.datetime) -> datetime.date:
    """The day a moment belongs to in the portal's own time zone (roll-ups, periods, statements)."""
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def visit_record(
    *,
    code: str,
    source: str,
    actor: User | None = None,
    owner: Project | None = None,
    client_phone: str | None = None,
    client_card: str | None = None,
    visited_at: datetime.datetime | None = None,
    check_amount=None,
    points_spent=0,
    external_id: str = "",
) -> Recorded:
    """Count a client a partner sent: the visit, its ledger legs and the roll-ups, in one transaction.

    `owner`: the project at whose till (or in whose app) the client came — the code must be one of its
    deals. `actor`: the person recording (a manager of the owner, or staff who record visits); None for the
    API (its key stands for `owner`). Raises `VisitRefused`. Idempotent by `external_id` within the owner."""
    data = clean_visit(
        code=code,
        client_phone=client_phone,
        client_card=client_card,
        visited_at=visited_at,
        check_amount=check_amount,
        points_spent=points_spent,
        external_id=external_id,
    )
    deal = find_deal(data.code, owner=owner, actor=actor)
    try:
        with transaction.atomic(durable=True):
            return record_in_transaction(deal, data, source=source, actor=actor)
    except OperationalError as error:
        if _is_lock_timeout(error):
            raise VisitRefused("busy") from error
        raise


def find_deal(code: str, *, owner: Project | None, actor: User | None) -> Deal:
    """The deal of a normalized code that `actor` (or the key of `owner`) may record visits for."""
    deal = Deal.objects.filter(code=code).select_related("owner", "partner").first()
    if deal is None or (owner is not None and deal.owner_id != owner.pk):
        raise VisitRefused("unknown_code")  # another project's deal reads as no deal: codes are not probed
    if actor is not None and not (
        has_capability(actor, Capability.RECORD_VISITS)
        or (has_capability(actor, Capability.USE_PROJECT_CABINET) and is_manager(actor, deal.owner))
    ):
        raise VisitRefused("not_allowed")
    return deal


def _is_lock_timeout(error: OperationalError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "55P03" or "lock timeout" in str(error).lower()


def _lock_lot(lot_id: int) -> Lot:
    """Take the lot's lock before anything is counted (see the module's docstring)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{int(settings.VISIT_LOCK_TIMEOUT_MS)}ms"])
    else:
        Lot.objects.filter(pk=lot_id).update(quota=F("quota"))  # SQLite: the write lock, before any read
    return Lot.objects.select_for_update(of=("self",)).get(pk=lot_id)


def record_in_transaction(deal: Deal, data: VisitInput, *, source: str, actor: User | None) -> Recorded:
    """`visit_record`'s work inside a transaction the caller holds (the import holds one for all its rows)."""
    lot = _lock_lot(deal.lot_id)
    if data.external_id:
        earlier = Visit.objects.filter(owner_id=deal.owner_id, external_id=data.external_id).first()
        if earlier is not None:
            return _replay(earlier, data)
    # The deal's status now, under the lot's lock (a deal ends under it too).
    deal.status, deal.ended_at = Deal.objects.filter(pk=deal.pk).values_list("status", "ended_at").get()
    visited_at = data.visited_at or timezone.now()
    _check_deal(deal, lot, visited_at)
    confirmed = Visit.objects.filter(lot_id=lot.pk, status=VisitStatus.CONFIRMED).count()
    if confirmed >= lot.quota:
        raise VisitRefused("quota_reached", quota=lot.quota)
    visit = _insert(deal, data, visited_at=visited_at, source=source, actor=actor)
    _write_legs(visit)
    rollups.add(day=visit.day, deal_id=deal.pk, owner_id=deal.owner_id, partner_id=deal.partner_id, sign=1, visit=visit)
    auditlog.record(
        actor=actor,
        event=events.VISIT_RECORDED,
        obj=visit,
        project=deal.owner,
        object_text=f"{codes.display(deal.code)} · {lot.title}"[:255],
        changes={
            "deal": codes.display(deal.code),
            "source": source,
            "reward": visit.reward,
            "commission": visit.commission,
            "points_accrued": visit.points_accrued,
            "points_spent": visit.points_spent,
            "external_id": data.external_id,
        },
    )
    filled = confirmed + 1 >= lot.quota
    if filled:
        lot_close(lot=lot, actor=None, reason=CloseReason.QUOTA)
    return Recorded(visit=visit, created=True, quota_reached=filled)


def _replay(earlier: Visit, data: VisitInput) -> Recorded:
    if earlier.payload_hash != data.payload_hash():
        raise VisitRefused("external_id_conflict")
    return Recorded(visit=earlier, created=False)


def _check_deal(deal: Deal, lot: Lot, visited_at: datetime.datetime) -> None:
    """Was the deal running when the client came? A late report of a visit made while it ran still counts."""
    local = ZoneInfo(settings.TIME_ZONE)
    if visited_at < deal.created_at:
        raise VisitRefused("visit_before_deal", date=formats.date_format(deal.created_at.astimezone(local).date()))
    if deal.status != DealStatus.ACTIVE:
        if deal.ended_at is not None and visited_at <= deal.ended_at:
            return  # reported late: the client came while the deal ran (the quota still decides)
        raise VisitRefused("deal_cancelled" if deal.status == DealStatus.CANCELLED else "deal_completed")
    if lot.status == LotStatus.PAUSED:
        raise VisitRefused("lot_paused")
    if lot.status != LotStatus.PUBLISHED:
        raise VisitRefused("deal_completed")


def _insert(deal: Deal, data: VisitInput, *, visited_at, source: str, actor: User | None) -> Visit:
    reward = Decimal(str(deal.terms.get("reward") or "0"))
    budget = lot_budget(quota=1, reward=reward, cashback_points=int(deal.terms.get("cashback_points") or 0))
    visit = Visit(
        deal=deal,
        lot_id=deal.lot_id,
        owner_id=deal.owner_id,
        partner_id=deal.partner_id,
        client=data.client,
        visited_at=visited_at,
        day=portal_day(visited_at),
        check_amount=data.check_amount,
        reward=budget.reward,
        commission=budget.commission_per_client,
        points_accrued=budget.cashback_points,
        points_spent=data.points_spent,
        source=source,
        external_id=data.external_id,
        payload_hash=data.payload_hash() if data.external_id else "",
        recorded_by=actor,
    )
    try:
        with transaction.atomic():  # a savepoint: the constraints decide, not a check before the insert
            visit.save(force_insert=True)
    except IntegrityError:
        if data.external_id:
            earlier = Visit.objects.filter(owner_id=deal.owner_id, external_id=data.external_id).first()
            if earlier is not None:
                _replay(earlier, data)  # raises on different data
                raise VisitRefused("external_id_conflict") from None  # same data, another lot's lock
        raise VisitRefused("client_counted") from None
    return visit


def legs_of(visit: Visit, *, sign: int = 1) -> list[dict]:
    """The ledger legs a visit writes (a reversal writes them with `sign` −1). Money legs sum to zero."""
    reward, commission = visit.reward * sign, visit.commission * sign
    legs = [
        {"kind": EntryKind.REWARD, "project_id": visit.partner_id, "counterparty_id": visit.owner_id, "amount": reward},
        {
            "kind": EntryKind.REWARD,
            "project_id": visit.owner_id,
            "counterparty_id": visit.partner_id,
            "amount": -reward,
        },
        {"kind": EntryKind.COMMISSION, "project_id": visit.owner_id, "counterparty_id": None, "amount": -commission},
        {"kind": EntryKind.COMMISSION, "project_id": None, "counterparty_id": visit.owner_id, "amount": commission},
    ]
    if visit.points_accrued:
        legs.append(
            {
                "kind": EntryKind.POINTS_ACCRUED,
                "project_id": visit.owner_id,
                "counterparty_id": visit.partner_id,
                "points": visit.points_accrued * sign,
            }
        )
    if visit.points_spent:
        legs.append(
            {
                "kind": EntryKind.POINTS_SPENT,
                "project_id": visit.owner_id,
                "counterparty_id": visit.partner_id,
                "points": -visit.points_spent * sign,
            }
        )
    return legs


def _write_legs(visit: Visit) -> list[LedgerEntry]:
    txn = uuid.uuid4()
    return LedgerEntry.objects.bulk_create(
        [LedgerEntry(txn=txn, day=visit.day, visit=visit, **leg) for leg in legs_of(visit)]
    )


@transaction.atomic
def visit_reverse(*, visit: Visit, actor: User | None, reason: str) -> Visit:
    """Take a visit back (an upheld dispute): opposite legs pointing at the originals, the roll-ups decreased,
    the visit marked reversed. Nothing is deleted or changed in the ledger. The lot stays as it is: a lot the
    visit had filled stays closed (its deals completed; the owner opens a new lot for more clients)."""
    if actor is not None and not has_capability(actor, Capability.RECORD_VISITS):
        raise ApplicationError(_("Only Misty staff who record visits can reverse one."))
    _lock_lot(visit.lot_id)
    visit = Visit.objects.select_for_update(of=("self",)).select_related("owner").get(pk=visit.pk)
    if visit.status != VisitStatus.CONFIRMED:
        raise ApplicationError(_("This visit is already reversed."))
    originals = list(LedgerEntry.objects.filter(visit=visit, reverses__isnull=True))
    txn = uuid.uuid4()
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                txn=txn,
                kind=entry.kind,
                project_id=entry.project_id,
                counterparty_id=entry.counterparty_id,
                amount=-entry.amount,
                points=-entry.points,
                day=visit.day,
                visit=visit,
                reverses=entry,
            )
            for entry in originals
        ]
    )
    visit.status, visit.reversed_at = VisitStatus.REVERSED, timezone.now()
    visit.save(update_fields=["status", "reversed_at"])
    rollups.add(
        day=visit.day,
        deal_id=visit.deal_id,
        owner_id=visit.owner_id,
        partner_id=visit.partner_id,
        sign=-1,
        visit=visit,
    )
    auditlog.record(
        actor=actor,
        event=events.VISIT_REVERSED,
        obj=visit,
        project=visit.owner,
        changes={"status": (VisitStatus.CONFIRMED, VisitStatus.REVERSED), "reason": reason},
    )
    return visit


__all__ = [
    "REFUSALS",
    "Recorded",
    "VisitInput",
    "VisitRefused",
    "VisitSource",
    "clean_visit",
    "find_deal",
    "legs_of",
    "portal_day",
    "record_in_transaction",
    "visit_record",
    "visit_reverse",
]
