"""Daily roll-ups that always equal the raw rows (../shared/PATTERNS.md "Roll-ups").

`add()` runs in the transaction that writes the visit (or its reversal): one `INSERT … ON CONFLICT DO UPDATE`
per table, so two visits of the same day never lose an increment, on PostgreSQL and SQLite alike.
`rebuild()` recomputes both tables from the visits (a repair; `check_ledger` tells whether one is needed).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from visits.models import DealDay, FlowDay, ProjectDay, ProjectMonth, Side, Visit, VisitStatus

COUNTERS = ("visits", "reward", "commission", "points_accrued", "points_spent", "check_total")


def _upsert(model, keys: dict, counters: dict, extra: dict | None = None) -> None:
    """Add `counters` to the row of `keys` (the unique key), creating it with `extra` columns if it is new."""
    extra = extra or {}
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [*keys, *extra, *COUNTERS]
    quoted = [connection.ops.quote_name(c) for c in columns]
    conflict = ", ".join(connection.ops.quote_name(k) for k in keys)
    q = connection.ops.quote_name
    updates = ", ".join(f"{q(c)} = {table}.{q(c)} + EXCLUDED.{q(c)}" for c in COUNTERS)
    sql = (
        f"INSERT INTO {table} ({', '.join(quoted)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys.values(), *extra.values(), *(counters[c] for c in COUNTERS)])


def _upsert_sides(*, owner_id: int, partner_id: int, day: datetime.date, counters: dict) -> None:
    """Add `counters` to the owner's and the partner's `ProjectDay` and `ProjectMonth` rows: one statement
    each (two rows of one INSERT: the owner and the partner are never the same project)."""
    q = connection.ops.quote_name
    for model, column, value in ((ProjectDay, "day", day), (ProjectMonth, "month", day.replace(day=1))):
        table = q(model._meta.db_table)
        columns = ["project_id", "side", column, *COUNTERS]
        updates = ", ".join(f"{q(c)} = {table}.{q(c)} + EXCLUDED.{q(c)}" for c in COUNTERS)
        row = f"({', '.join(['%s'] * len(columns))})"
        sql = (
            f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) VALUES {row}, {row} "
            f"ON CONFLICT ({q('project_id')}, {q('side')}, {q(column)}) DO UPDATE SET {updates}"
        )
        values = [counters[c] for c in COUNTERS]
        with connection.cursor() as cursor:
            cursor.execute(sql, [owner_id, Side.OWNER, value, *values, partner_id, Side.PARTNER, value, *values])


def add(*, day: datetime.date, deal_id: int, owner_id: int, partner_id: int, sign: int, visit: Visit) -> None:
    """Add a visit (`sign` +1) or take it back (−1) in both roll-ups."""
    counters = {
        "visits": sign,
        "reward": sign * visit.reward,
        "commission": sign * visit.commission,
        "points_accrued": sign * visit.points_accrued,
        "points_spent": sign * visit.points_spent,
        "check_total": sign * (visit.check_amount or Decimal("0")),
    }
    _upsert(DealDay, {"deal_id": deal_id, "day": day}, counters, {"owner_id": owner_id, "partner_id": partner_id})
    _upsert(FlowDay, {"owner_id": owner_id, "partner_id": partner_id, "day": day}, counters)
    _upsert_sides(owner_id=owner_id, partner_id=partner_id, day=day, counters=counters)


def add_many(rows: dict[tuple, dict]) -> None:
    """Bulk form of `add()` for an import: `rows` maps (deal_id, owner_id, partner_id, day) → counters."""
    flows: dict[tuple, dict] = {}
    for (deal_id, owner_id, partner_id, day), counters in rows.items():
        _upsert(DealDay, {"deal_id": deal_id, "day": day}, counters, {"owner_id": owner_id, "partner_id": partner_id})
        flow = flows.setdefault((owner_id, partner_id, day), dict.fromkeys(COUNTERS, 0))
        for name in COUNTERS:
            flow[name] += counters[name]
    for (owner_id, partner_id, day), counters in flows.items():
        _upsert(FlowDay, {"owner_id": owner_id, "partner_id": partner_id, "day": day}, counters)
        _upsert_sides(owner_id=owner_id, partner_id=partner_id, day=day, counters=counters)


def raw_sums(group_by: tuple[str, ...]):
    """The roll-ups' figures computed from the confirmed visits, grouped by `group_by` (and day)."""
    return (
        Visit.objects.filter(status=VisitStatus.CONFIRMED)
        .order_by()
        .values(*group_by, "day")
        .annotate(
            n=Count("id"),
            s_reward=Sum("reward"),
            s_commission=Sum("commission"),
            s_points_accrued=Sum("points_accrued"),
            s_points_spent=Sum("points_spent"),
            s_check_total=Sum("check_amount", filter=Q(check_amount__isnull=False)),
        )
    )


def side_sums(side: str, *, monthly: bool = False):
    """The figures of `ProjectDay` (or `ProjectMonth`) of one side computed from the confirmed visits, as
    `raw_sums` rows with `project_id` and `day` (the month's first day when `monthly`)."""
    from django.db.models import F
    from django.db.models.functions import TruncMonth

    project = "owner_id" if side == Side.OWNER else "partner_id"
    period = TruncMonth("day") if monthly else F("day")
    return (
        Visit.objects.filter(status=VisitStatus.CONFIRMED)
        .order_by()
        .annotate(project_id=F(project), period=period)
        .values("project_id", "period")
        .annotate(
            n=Count("id"),
            s_reward=Sum("reward"),
            s_commission=Sum("commission"),
            s_points_accrued=Sum("points_accrued"),
            s_points_spent=Sum("points_spent"),
            s_check_total=Sum("check_amount", filter=Q(check_amount__isnull=False)),
        )
    )


def _counters_of(row) -> dict:
    return {
        "visits": row["n"],
        "reward": row["s_reward"] or 0,
        "commission": row["s_commission"] or 0,
        "points_accrued": row["s_points_accrued"] or 0,
        "points_spent": row["s_points_spent"] or 0,
        "check_total": row["s_check_total"] or 0,
    }


@transaction.atomic
def rebuild() -> None:
    """Recompute every roll-up from the visits (absolute totals)."""
    for model, keys in ((DealDay, ("deal_id", "owner_id", "partner_id")), (FlowDay, ("owner_id", "partner_id"))):
        model.objects.all().delete()
        rows = [
            model(
                **{key: row[key] for key in keys},
                day=row["day"],
                visits=row["n"],
                reward=row["s_reward"] or 0,
                commission=row["s_commission"] or 0,
                points_accrued=row["s_points_accrued"] or 0,
                points_spent=row["s_points_spent"] or 0,
                check_total=row["s_check_total"] or 0,
            )
            for row in raw_sums(keys)
        ]
        model.objects.bulk_create(rows, batch_size=2000)
    for model, column, monthly in ((ProjectDay, "day", False), (ProjectMonth, "month", True)):
        model.objects.all().delete()
        for side in Side.values:
            model.objects.bulk_create(
                (
                    model(
                        project_id=row["project_id"],
                        side=side,
                        **{column: _as_date(row["period"])},
                        **_counters_of(row),
                    )
                    for row in side_sums(side, monthly=monthly)
                ),
                batch_size=2000,
            )


def _as_date(value) -> datetime.date:
    """TruncMonth of a DateField gives a date; some backends hand back a datetime."""
    return value.date() if isinstance(value, datetime.datetime) else value
