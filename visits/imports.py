"""Referred visits from a file (staff → Visits → Import, `manage.py import_visits`), on the import base
(portal/imports.py): all rows or none, every bad row reported with its line and reason.

A visit that comes one at a time goes through `visits.services.visit_record`; a file of 100 000 visits cannot
(one transaction and a dozen queries per row). This is its bulk form, with the same rules and the same writes:

1. Each row is cleaned by `visits.services.clean_visit` (the code, the client's keyed hash, the amounts) —
   no database read.
2. The whole file is then checked with a handful of queries for all its rows: the deals by code, the external
   ids already used (a replay of the same data is skipped, other data is an error), the clients each lot has
   already counted, each lot's confirmed visits; inside the file the same client twice on one lot and the same
   external id twice are errors; the quota is taken in the file's order (the rows past it are errors).
3. Everything is checked again inside the import's transaction under the involved lots' locks (taken in the
   order of their ids; on SQLite the write lock), since another visit may have come in between — and only then
   are the visits, their ledger legs (`visits.services.legs_of`, one ledger transaction per visit) and the
   roll-ups (`visits.rollups.add_many`) written in bulk. Lots that filled are closed (`lot_close`, QUOTA) and one
   journal event names the file.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import OperationalError, connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import auditlog
from accounts.models import User
from offers.budget import lot_budget
from offers.models import CloseReason, Deal, Lot
from offers.services import lot_close
from portal.bulk import insert_rows
from portal.imports import ImportColumn, Importer, ImportFileError, ImportResult, RowError, RowsFailed, ValidRow
from visits import events, rollups
from visits.models import LedgerEntry, Visit, VisitSource, VisitStatus
from visits.services import (
    REFUSALS,
    VisitInput,
    VisitRefused,
    _check_deal,
    _is_lock_timeout,
    clean_visit,
    legs_of,
    portal_day,
)

LOOKUP_CHUNK = 500
ZERO = Decimal("0")
MAX_EXTERNAL_ID = 100  # Visit.external_id
TIME_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")

# Which column a refusal of `clean_visit` is about.
REFUSAL_FIELDS = {
    "unknown_code": "code",
    "invalid_client_phone": "client_phone",
    "invalid_client_card": "client_card",
    "invalid_amount": "check_amount",
    "invalid_points": "points_spent",
    "visit_in_future": "visited_at",
}


def parse_moment(text: str) -> datetime.datetime | None:
    """A visit time as spreadsheets write it: ISO ("2025-05-31 18:30", an .xlsx cell) or Russian
    ("31.05.2025 18:30"); naive times are the portal's time zone (`clean_visit`)."""
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


class VisitRow:
    """One row's check, in the shape of the Django form the import base expects (`is_valid()`,
    `cleaned_data`, `errors`, `fields`) without a form's cost: building a form copies its fields, and at
    100 000 rows that alone took a third of the import. All the rules are `clean_visit`'s."""

    fields: dict = {}

    def __init__(self, data: dict):
        self.data = data
        self.errors: dict[str, list[str]] = {}
        self.cleaned_data: dict = {}

    def add_error(self, name: str, message) -> None:
        self.errors.setdefault(name, []).append(str(message))

    def is_valid(self) -> bool:
        data = self.data
        phone, card = data["client_phone"].strip(), data["client_card"].strip()
        if phone and card:
            self.add_error(
                "client_card", _("Give the phone or the card, not both: each stands for a client of its own.")
            )
        elif not phone and not card:
            self.add_error("client_phone", _("Give the client's phone or card number."))
        moment = None
        typed = data["visited_at"].strip()
        if not typed:
            self.add_error("visited_at", _("Give the time of the visit."))
        else:
            moment = parse_moment(typed)
            if moment is None:
                self.add_error("visited_at", _("Write the visit time as 2025-05-31 18:30 or 31.05.2025 18:30."))
        if len(data["external_id"].strip()) > MAX_EXTERNAL_ID:
            self.add_error("external_id", _("At most %(length)d characters.") % {"length": MAX_EXTERNAL_ID})
        if self.errors:
            return False
        try:
            visit = clean_visit(
                code=data["code"],
                client_phone=phone or None,
                client_card=card or None,
                visited_at=moment,
                check_amount=data["check_amount"],
                points_spent=data["points_spent"],
                external_id=data["external_id"],
            )
        except VisitRefused as refused:
            self.add_error(REFUSAL_FIELDS.get(refused.code, "code"), refused.message)
            return False
        self.cleaned_data = {"visit": visit}
        return True


@dataclass
class Plan:
    """What a file would write, or why it cannot."""

    errors: dict[int, list[str]] = field(default_factory=dict)
    new: list[tuple[VisitInput, Deal]] = field(default_factory=list)
    skipped: int = 0  # replays: the same external id with the same data, already recorded
    filled: list[Lot] = field(default_factory=list)

    def refuse(self, line: int, message: str) -> None:
        self.errors.setdefault(line, []).append(str(message))


def _chunks(values: list, size: int = LOOKUP_CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _deals_by_code(codes: list[str]) -> dict[str, Deal]:
    deals = {}
    for chunk in _chunks(codes):
        for deal in Deal.objects.filter(code__in=chunk).only(
            "pk", "code", "lot_id", "owner_id", "partner_id", "status", "created_at", "ended_at", "terms"
        ):
            deals[deal.code] = deal
    return deals


def _lock_lots(lot_ids: list[int]) -> dict[int, Lot]:
    """The lots' row locks, in the order of their ids (two imports never wait on each other in a circle)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{int(settings.VISIT_LOCK_TIMEOUT_MS)}ms"])
    elif lot_ids:
        Lot.objects.filter(pk=lot_ids[0]).update(quota=F("quota"))  # SQLite: the one write lock, before any read
    lots = {}
    for chunk in _chunks(lot_ids):
        for lot in Lot.objects.select_for_update(of=("self",)).filter(pk__in=chunk).order_by("pk"):
            lots[lot.pk] = lot
    return lots


def _existing_external_ids(pairs: set[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """{(owner id, external id): payload hash} of the visits already recorded under these ids."""
    by_owner: dict[int, list[str]] = {}
    for owner_id, external_id in pairs:
        by_owner.setdefault(owner_id, []).append(external_id)
    found = {}
    for owner_id, external_ids in by_owner.items():
        for chunk in _chunks(sorted(external_ids)):
            # Unordered, and with the partial unique index's own condition: SQLite then reads that index
            # instead of every visit of the owner (which made a replayed 100k file quadratic).
            rows = (
                Visit.objects.filter(owner_id=owner_id, external_id__in=chunk)
                .exclude(external_id="")
                .order_by()
                .values_list("external_id", "payload_hash")
            )
            found.update({(owner_id, external_id): payload for external_id, payload in rows})
    return found


def plan_import(rows: list[ValidRow], *, lock: bool) -> Plan:
    """Check the cleaned rows as a whole against the database (see the module's docstring). With `lock`, the
    caller holds a transaction and the involved lots are locked first: the plan is then the one to write."""
    plan = Plan()
    deals = _deals_by_code(sorted({row.data["visit"].code for row in rows}))
    lot_ids = sorted({deal.lot_id for deal in deals.values()})
    if lock:
        lots = _lock_lots(lot_ids)
        deals = _deals_by_code(sorted(deals))  # their status now, under the lots' locks
    else:
        lots = {lot.pk: lot for chunk in _chunks(lot_ids) for lot in Lot.objects.filter(pk__in=chunk)}
    confirmed: dict[int, int] = dict.fromkeys(lot_ids, 0)
    counted: set[tuple[int, str]] = set()
    for chunk in _chunks(lot_ids):
        for lot_id, client in (
            Visit.objects.filter(lot_id__in=chunk, status=VisitStatus.CONFIRMED)
            .order_by()
            .values_list("lot_id", "client")
        ):
            confirmed[lot_id] += 1
            counted.add((lot_id, client))
    external = _existing_external_ids(
        {
            (deals[row.data["visit"].code].owner_id, row.data["visit"].external_id)
            for row in rows
            if row.data["visit"].external_id and row.data["visit"].code in deals
        }
    )
    external_lines: dict[tuple[int, str], int] = {}
    client_lines: dict[tuple[int, str], int] = {}
    for line, data in rows:
        visit: VisitInput = data["visit"]
        deal = deals.get(visit.code)
        if deal is None:
            plan.refuse(line, REFUSALS["unknown_code"])
            continue
        lot = lots[deal.lot_id]
        if visit.external_id:
            key = (deal.owner_id, visit.external_id)
            first = external_lines.setdefault(key, line)
            if first != line:
                plan.refuse(line, _("The external id is on line %(line)d too.") % {"line": first})
                continue
            if key in external:
                if external[key] == visit.payload_hash():
                    plan.skipped += 1
                else:
                    plan.refuse(line, REFUSALS["external_id_conflict"])
                continue
        try:
            _check_deal(deal, lot, visit.visited_at)
        except VisitRefused as refused:
            plan.refuse(line, refused.message)
            continue
        client = (lot.pk, visit.client)
        first = client_lines.setdefault(client, line)
        if first != line:
            plan.refuse(line, _("The same client is on line %(line)d for the same lot.") % {"line": first})
            continue
        if client in counted:
            plan.refuse(line, REFUSALS["client_counted"])
            continue
        if confirmed[lot.pk] >= lot.quota:
            plan.refuse(line, REFUSALS["quota_reached"] % {"quota": lot.quota})
            continue
        confirmed[lot.pk] += 1
        if confirmed[lot.pk] == lot.quota:
            plan.filled.append(lot)
        plan.new.append((visit, deal))
    return plan


def _new_ids(model, count: int) -> range | list[int]:
    """`count` fresh primary keys of `model`, taken before the rows are inserted (the ledger legs name their
    visit). PostgreSQL: from the id's sequence. SQLite: after the highest ever given (AUTOINCREMENT's
    `sqlite_sequence`) — safe because the import holds SQLite's one write lock."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT MAX(n) FROM (SELECT MAX(id) AS n FROM {connection.ops.quote_name(table)} UNION ALL "
            "SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        highest = cursor.fetchone()[0] or 0
    return range(highest + 1, highest + 1 + count)


class NewVisit(NamedTuple):
    """A visit's row as inserted (the columns of `Visit`'s table), readable by `legs_of` like a Visit."""

    id: int
    deal_id: int
    lot_id: int
    owner_id: int
    partner_id: int
    client: str
    visited_at: datetime.datetime
    day: datetime.date
    check_amount: Decimal | None
    reward: Decimal
    commission: Decimal
    points_accrued: int
    points_spent: int
    source: str
    external_id: str
    payload_hash: str
    status: str
    recorded_by_id: int | None
    created_at: datetime.datetime
    reversed_at: None


ENTRY_COLUMNS = (
    "txn",
    "kind",
    "project_id",
    "counterparty_id",
    "amount",
    "points",
    "day",
    "visit_id",
    "payment_id",
    "reverses_id",
    "created_at",
)


def write_visits(new: list[tuple[VisitInput, Deal]], *, actor: User | None) -> int:
    """Insert the planned visits, their ledger legs and the roll-ups (inside the caller's transaction, under
    the lots' locks): the rows `visit_record` writes, one ledger transaction per visit — as raw rows
    (`portal.bulk.insert_rows`): building and saving model instances took most of a minute at 100 000 rows."""
    terms: dict[int, tuple[Decimal, Decimal, int]] = {}
    now = timezone.now()
    actor_id = actor.pk if actor is not None else None
    source, status = str(VisitSource.IMPORT), str(VisitStatus.CONFIRMED)
    days: dict[datetime.datetime, datetime.date] = {}
    visits = []
    for pk, (data, deal) in zip(_new_ids(Visit, len(new)), new, strict=True):
        if deal.pk not in terms:
            reward = Decimal(str(deal.terms.get("reward") or "0"))
            budget = lot_budget(quota=1, reward=reward, cashback_points=int(deal.terms.get("cashback_points") or 0))
            terms[deal.pk] = (budget.reward, budget.commission_per_client, budget.cashback_points)
        reward, commission, points = terms[deal.pk]
        moment = data.visited_at
        day = days.get(moment) or days.setdefault(moment, portal_day(moment))
        visits.append(
            NewVisit(
                pk,
                deal.pk,
                deal.lot_id,
                deal.owner_id,
                deal.partner_id,
                data.client,
                moment,
                day,
                data.check_amount,
                reward,
                commission,
                points,
                data.points_spent,
                source,
                data.external_id,
                data.payload_hash() if data.external_id else "",
                status,
                actor_id,
                now,
                None,
            )
        )
    insert_rows(Visit._meta.db_table, NewVisit._fields, visits)
    counters: dict[tuple, dict] = {}

    def legs():
        for visit in visits:
            txn = uuid.uuid4()
            for leg in legs_of(visit):
                yield (
                    txn,
                    str(leg["kind"]),
                    leg["project_id"],
                    leg["counterparty_id"],
                    leg.get("amount", ZERO),
                    leg.get("points", 0),
                    visit.day,
                    visit.id,
                    None,
                    None,
                    now,
                )
            key = (visit.deal_id, visit.owner_id, visit.partner_id, visit.day)
            sums = counters.get(key) or counters.setdefault(key, dict.fromkeys(rollups.COUNTERS, 0))
            sums["visits"] += 1
            sums["reward"] += visit.reward
            sums["commission"] += visit.commission
            sums["points_accrued"] += visit.points_accrued
            sums["points_spent"] += visit.points_spent
            sums["check_total"] += visit.check_amount or ZERO

    insert_rows(LedgerEntry._meta.db_table, ENTRY_COLUMNS, legs())
    rollups.add_many(counters)
    return len(visits)


@dataclass(frozen=True)
class Imported:
    created: int
    skipped: int
    lots_closed: int


class VisitImporter(Importer):
    name = "visits-import"
    verbose_name = gettext_lazy("Referred visits")
    form_class = VisitRow
    columns = (
        ImportColumn("code", gettext_lazy("Deal code"), aliases=("code", "код", "код сделки"), example="ABC-789"),
        ImportColumn(
            "client_phone",
            gettext_lazy("Client's phone"),
            aliases=("phone", "телефон", "телефон клиента"),
            required=False,
            example="+7 916 123-45-67",
            width=18,
        ),
        ImportColumn(
            "client_card",
            gettext_lazy("Client's card"),
            aliases=("card", "карта", "карта клиента"),
            required=False,
            width=16,
        ),
        ImportColumn(
            "visited_at",
            gettext_lazy("Visit time"),
            aliases=("time", "date", "время", "дата", "время визита"),
            example="31.05.2025 18:30",
            width=18,
        ),
        ImportColumn(
            "check_amount",
            gettext_lazy("Check amount, ₽"),
            aliases=("check", "amount", "чек", "сумма чека", "сумма"),
            required=False,
            example="2500",
            width=14,
        ),
        ImportColumn(
            "points_spent",
            gettext_lazy("Points spent"),
            aliases=("points", "баллы", "списано баллов"),
            required=False,
            example="0",
        ),
        ImportColumn(
            "external_id",
            gettext_lazy("External id"),
            aliases=("id", "external id", "внешний id", "внешний номер"),
            required=False,
            example="till-1-000123",
            width=18,
        ),
    )
    max_bytes = 30 * 1024 * 1024
    max_uncompressed_bytes = 300 * 1024 * 1024
    max_rows = 100_000

    def __init__(self, *, actor: User | None):
        self.actor = actor
        self.file_name = ""

    def run(self, uploaded) -> ImportResult:
        self.file_name = str(getattr(uploaded, "name", "") or "")[:200]
        try:
            return super().run(uploaded)
        except OperationalError as error:
            if _is_lock_timeout(error):
                raise ImportFileError(str(REFUSALS["busy"])) from error
            raise

    def map_header(self, cells: list[str]) -> tuple[dict[str, int], list[str]]:
        positions, problems = super().map_header(cells)
        if not problems and "client_phone" not in positions and "client_card" not in positions:
            problems.append(_("The file needs a column of the client's phone or of the client's card."))
        return positions, problems

    def check_rows(self, rows: list[ValidRow]) -> Iterable[RowError]:
        """Everything the database can tell before the transaction, to report every bad row at once."""
        plan = plan_import(rows, lock=False)
        return [RowError(line, tuple(reasons)) for line, reasons in plan.errors.items()]

    def create(self, rows: list[ValidRow]) -> Imported:
        plan = plan_import(rows, lock=True)  # again, under the lots' locks: this is what is written
        if plan.errors:
            raise RowsFailed([RowError(line, tuple(reasons)) for line, reasons in plan.errors.items()])
        write_visits(plan.new, actor=self.actor)
        for lot in plan.filled:
            lot_close(lot=lot, actor=None, reason=CloseReason.QUOTA)
        auditlog.record(
            actor=self.actor,
            event=events.VISITS_IMPORTED,
            changes={
                "file": self.file_name,
                "rows": len(rows),
                "created": len(plan.new),
                "skipped": plan.skipped,
                "lots_closed": len(plan.filled),
            },
        )
        return Imported(created=len(plan.new), skipped=plan.skipped, lots_closed=len(plan.filled))


__all__ = ["Imported", "VisitImporter", "plan_import", "write_visits"]
