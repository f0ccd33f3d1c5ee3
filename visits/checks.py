"""The ledger's invariants (`manage.py check_ledger`): each check yields its violations, first found first.

1. Every visit has its entries: a confirmed visit's legs add up to its reward, commission and points; a
   reversed visit's legs add up to nothing.
2. Every ledger transaction balances: its money legs sum to zero (PostgreSQL also refuses it at commit).
3. No lot has more confirmed visits than its quota.
4. The roll-ups (deal, pair and project by day, project by month) equal the raw sums of the confirmed visits
   (compared by merging two ordered streams, so memory stays flat at a million visits).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from visits import rollups
from visits.models import (
    DealDay,
    EntryKind,
    FlowDay,
    LedgerEntry,
    ProjectDay,
    ProjectMonth,
    Side,
    Visit,
    VisitStatus,
)

ZERO = Decimal("0")


def visits_without_their_entries() -> Iterator[str]:
    rows = (
        Visit.objects.order_by("pk")
        .annotate(
            legs=Count("entries"),
            to_partner=Sum("entries__amount", filter=Q(entries__kind=EntryKind.REWARD, entries__project=F("partner"))),
            to_misty=Sum("entries__amount", filter=Q(entries__kind=EntryKind.COMMISSION, entries__project=None)),
            accrued=Sum("entries__points", filter=Q(entries__kind=EntryKind.POINTS_ACCRUED)),
            spent=Sum("entries__points", filter=Q(entries__kind=EntryKind.POINTS_SPENT)),
        )
        .values_list(
            "pk",
            "status",
            "reward",
            "commission",
            "points_accrued",
            "points_spent",
            "legs",
            "to_partner",
            "to_misty",
            "accrued",
            "spent",
        )
    )
    for pk, status, reward, commission, accrued_, spent_, legs, to_partner, to_misty, accrued, spent in rows.iterator(
        chunk_size=5000
    ):
        if status == VisitStatus.CONFIRMED:
            expected = (reward, commission, accrued_, -spent_)
        else:
            expected = (ZERO, ZERO, 0, 0)
        found = (to_partner or ZERO, to_misty or ZERO, accrued or 0, spent or 0)
        if legs < 4 or tuple(Decimal(x) for x in found) != tuple(Decimal(x) for x in expected):
            yield f"visit {pk} ({status}): its ledger legs give {found}, expected {expected}"


def unbalanced_transactions() -> Iterator[str]:
    rows = (
        LedgerEntry.objects.order_by()
        .values("txn")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .values_list("txn", "total")
    )
    for txn, total in rows.iterator(chunk_size=5000):
        yield f"ledger transaction {txn} does not balance: its legs sum to {total}"


def lots_over_quota() -> Iterator[str]:
    rows = (
        Visit.objects.filter(status=VisitStatus.CONFIRMED)
        .order_by()
        .values("lot_id", "lot__quota")
        .annotate(n=Count("pk"))
        .filter(n__gt=F("lot__quota"))
    )
    for row in rows.iterator(chunk_size=5000):
        yield f"lot {row['lot_id']} has {row['n']} confirmed visits, over its quota of {row['lot__quota']}"


def _merge(model, keys: tuple[str, ...]) -> Iterator[str]:
    order = (*keys, "day")
    raw = rollups.raw_sums(keys).order_by(*order).iterator(chunk_size=5000)
    stored = model.objects.order_by(*order).values(*order, *rollups.COUNTERS).iterator(chunk_size=5000)
    yield from _compare(model.__name__, raw, stored, order, order)


def _merge_sides(model, column: str, side: str) -> Iterator[str]:
    """`ProjectDay` / `ProjectMonth` rows of one side against the visits grouped the same way."""
    raw = rollups.side_sums(side, monthly=column == "month").order_by("project_id", "period").iterator(chunk_size=5000)
    stored = (
        model.objects.filter(side=side)
        .order_by("project_id", column)
        .values("project_id", column, *rollups.COUNTERS)
        .iterator(chunk_size=5000)
    )
    yield from _compare(f"{model.__name__} {side}", raw, stored, ("project_id", "period"), ("project_id", column))


def _compare(name: str, raw, stored, raw_order: tuple[str, ...], stored_order: tuple[str, ...]) -> Iterator[str]:
    def key(row, order):
        return tuple(rollups._as_date(row[k]) if k in ("period", "month") else row[k] for k in order)

    def plain_raw(row):
        return (
            key(row, raw_order),
            (
                row["n"],
                row["s_reward"] or ZERO,
                row["s_commission"] or ZERO,
                row["s_points_accrued"] or 0,
                row["s_points_spent"] or 0,
                row["s_check_total"] or ZERO,
            ),
        )

    def plain_stored(row):
        return key(row, stored_order), tuple(row[c] for c in rollups.COUNTERS)

    def nonzero(values):
        return any(values)

    a = next(raw, None)
    b = next(stored, None)
    while a is not None or b is not None:
        ka, va = plain_raw(a) if a is not None else (None, None)
        kb, vb = plain_stored(b) if b is not None else (None, None)
        if kb is None or (ka is not None and ka < kb):
            yield f"{name} {ka}: the visits give {va}, the roll-up has no row"
            a = next(raw, None)
        elif ka is None or kb < ka:
            if nonzero(vb):
                yield f"{name} {kb}: the roll-up has {vb}, the visits give nothing"
            b = next(stored, None)
        else:
            if tuple(Decimal(x) for x in va) != tuple(Decimal(x) for x in vb):
                yield f"{name} {ka}: the visits give {va}, the roll-up has {vb}"
            a, b = next(raw, None), next(stored, None)


def rollups_differ() -> Iterator[str]:
    yield from _merge(DealDay, ("deal_id",))
    yield from _merge(FlowDay, ("owner_id", "partner_id"))
    for model, column in ((ProjectDay, "day"), (ProjectMonth, "month")):
        for side in Side.values:
            yield from _merge_sides(model, column, side)


CHECKS = (
    ("every visit has its entries", visits_without_their_entries),
    ("every ledger transaction balances", unbalanced_transactions),
    ("no lot over its quota", lots_over_quota),
    ("roll-ups equal the raw sums", rollups_differ),
)


def first_violation() -> str | None:
    for _name, check in CHECKS:
        for violation in check():
            return violation
    return None
