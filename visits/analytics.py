"""Analytics of referred visits (SPEC §4 representative 1 and 5, staff 8, §7.6): figures for a period with the
change against the previous equal period, a series for the chart, tables by deal and by counterpart, the
ecosystem's figures and the flow matrix.

Every figure of visits is read from the roll-ups, never from the visits themselves: `ProjectDay` /
`ProjectMonth` (one row per project, side and day or month) for totals and series, `DealDay` for the table by
deal, `FlowDay` for the matrix. A period is split into whole calendar months, read from `ProjectMonth`, and the
days at its edges, read from `ProjectDay` — a year of the whole ecosystem is then about 12 rows a project, not
365. Collaborations (deals) are counted from `offers.Deal`. Days are the portal's (`settings.TIME_ZONE`), as
the roll-ups' are. Shared clients are a count of distinct clients, which no day row can add up: they are
recomputed as a whole (`shared_clients_rebuild`, hourly) and shown with the time they were computed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, DateField, F, Q, Sum, Value
from django.utils import timezone

from offers.models import Deal, DealStatus
from projects.models import Project
from visits.models import DealDay, FlowDay, ProjectDay, ProjectMonth, SharedClients, Side, Visit, VisitStatus
from visits.rollups import COUNTERS

DAILY_UP_TO = 92  # days: a longer period's chart has a point a month
MAX_DAYS = 3 * 366 + 1  # a custom period of at most three years
ZERO = Decimal("0")


def portal_today() -> datetime.date:
    return timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class Period:
    """Days `start`..`end`, both included, in the portal's time zone."""

    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> Period:
        """The period of the same length just before this one."""
        end = self.start - datetime.timedelta(days=1)
        return Period(self.kind, end - datetime.timedelta(days=self.days - 1), end)

    @property
    def monthly(self) -> bool:
        return self.days > DAILY_UP_TO

    def bucket(self, day: datetime.date) -> datetime.date:
        return _month_start(day) if self.monthly else day

    def buckets(self) -> list[datetime.date]:
        if not self.monthly:
            return [self.start + datetime.timedelta(days=i) for i in range(self.days)]
        out, month = [], _month_start(self.start)
        while month <= self.end:
            out.append(month)
            month = _next_month(month)
        return out

    def split(self) -> tuple[list[datetime.date], tuple[datetime.date, datetime.date] | None, list[tuple]]:
        """(whole months inside, their span, the day ranges left at the edges)."""
        first = self.start if self.start.day == 1 else _next_month(self.start)
        months = []
        month = first
        while _next_month(month) - datetime.timedelta(days=1) <= self.end:
            months.append(month)
            month = _next_month(month)
        if not months:
            return [], None, [(self.start, self.end)]
        after = _next_month(months[-1])
        edges = []
        if self.start < months[0]:
            edges.append((self.start, months[0] - datetime.timedelta(days=1)))
        if after <= self.end:
            edges.append((after, self.end))
        return months, (months[0], after - datetime.timedelta(days=1)), edges

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[from, to) as aware moments: the deals' times are moments, the days are the portal's."""
        zone = ZoneInfo(settings.TIME_ZONE)
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        return start, end


PERIOD_KINDS = ("7", "30", "90", "quarter", "year", "custom")
DEFAULT_PERIOD = "30"


def make_period(kind: str, *, today: datetime.date | None = None, start=None, end=None) -> Period:
    """7 / 30 / 90 days up to today, this quarter or this year up to today, or `start`..`end` (custom)."""
    today = today or portal_today()
    if kind in ("7", "30", "90"):
        return Period(kind, today - datetime.timedelta(days=int(kind) - 1), today)
    if kind == "quarter":
        return Period(kind, today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today)
    if kind == "year":
        return Period(kind, today.replace(month=1, day=1), today)
    if kind == "custom" and start is not None and end is not None and start <= end:
        return Period(kind, start, end)
    raise ValueError(f"not a period: {kind!r} {start!r} {end!r}")


def change_percent(current, previous) -> Decimal | None:
    """The change against the previous period in per cent, one decimal; None when there was nothing before."""
    current, previous = Decimal(current or 0), Decimal(previous or 0)
    if previous == 0:
        return None
    return ((current - previous) * 100 / abs(previous)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figure:
    key: str
    value: Decimal | int
    previous: Decimal | int
    money: bool = False

    @property
    def change(self) -> Decimal | None:
        return change_percent(self.value, self.previous)


def _empty() -> dict:
    return dict.fromkeys(COUNTERS, 0)


def _add(into: dict, row: dict) -> None:
    for name in COUNTERS:
        into[name] += row[name] or 0


_SUMS = {name: Sum(name) for name in COUNTERS}


def _side_rows(scope: Q, periods: list[Period], *, group: str, more=()) -> list[dict]:
    """Rows of (`group`, side, date) sums over `periods` from `ProjectMonth` (whole months) and `ProjectDay`
    (the rest): two queries whatever the length. A daily-charted period is read from days alone."""
    months, day_q = [], Q()
    for period in periods:
        if period.monthly:
            whole, _span, edges = period.split()
            months += whole
        else:
            edges = [(period.start, period.end)]
        for start, end in edges:
            day_q |= Q(day__range=(start, end))
    keys = [*([group] if group else []), "side"]
    parts = []
    if months:
        parts.append(
            ProjectMonth.objects.filter(scope, month__in=months)
            .order_by()
            .values(*keys, date=F("month"))
            .annotate(**_SUMS)
        )
    if day_q:
        parts.append(ProjectDay.objects.filter(scope, day_q).order_by().values(*keys, date=F("day")).annotate(**_SUMS))
    parts += more
    if not parts:
        return []
    # One statement: whole months, edge days (and the deals' counts, `more`) are parts of one UNION ALL.
    return list(parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0])


DEALS_NOW, DEALS_TODAY = "deals", "deals_today"


def _deal_parts(scope: Q, period: Period, *, today: dict | None = None) -> list:
    """Collaborations as rows shaped like `_side_rows`' (side `deals`; its six counters: running at any time of
    the period, started in it, completed in it — now and before), to ride in the same UNION; `today`, if
    given, is a second row (`deals_today`) of up to six more counts."""
    figures = []
    for p in (period, period.previous):
        start, end = p.moments()
        figures.append(Count("pk", filter=Q(created_at__lt=end) & (Q(ended_at__isnull=True) | Q(ended_at__gte=start))))
    for p in (period, period.previous):
        start, end = p.moments()
        figures.append(Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)))
    for p in (period, period.previous):
        start, end = p.moments()
        figures.append(Count("pk", filter=Q(status=DealStatus.COMPLETED, ended_at__gte=start, ended_at__lt=end)))
    before_start, _ = period.previous.moments()
    deals = Deal.objects.filter(scope).filter(Q(ended_at__isnull=True) | Q(ended_at__gte=before_start)).order_by()

    def part(tag, counts):
        counts = [*counts, *[Value(0)] * (len(COUNTERS) - len(counts))]
        return (
            deals.annotate(side=Value(tag), date=Value(None, output_field=DateField()))
            .values("side", "date")
            .annotate(**{f"c{i}": c for i, c in enumerate(counts)})  # Deal has a `visits` relation: no names here
        )

    parts = [part(DEALS_NOW, figures)]
    if today:
        parts.append(part(DEALS_TODAY, list(today.values())))
    return parts


def _deal_figures(rows: list[dict]) -> tuple[dict[str, tuple[int, int]], list[int]]:
    found = {row["side"]: [row[c] or 0 for c in COUNTERS] for row in rows if row["side"] in (DEALS_NOW, DEALS_TODAY)}
    now = found.get(DEALS_NOW, [0] * len(COUNTERS))
    pairs = {"active": (now[0], now[1]), "new": (now[2], now[3]), "completed": (now[4], now[5])}
    return pairs, [int(v) for v in found.get(DEALS_TODAY, [0] * len(COUNTERS))]


@dataclass
class Dashboard:
    period: Period
    figures: list[Figure]
    series: dict = field(default_factory=dict)  # for the chart: labels and datasets (plain numbers)
    active_deals: tuple[int, int] | None = None  # a project's deals active today (as the owner, as the partner)


def _totals_and_series(rows: list[dict], period: Period) -> tuple[dict, dict, dict]:
    """{side: counters} now, {side: counters} before, {side: {bucket: counters}} now."""
    now, before = defaultdict(_empty), defaultdict(_empty)
    series: dict = defaultdict(lambda: defaultdict(_empty))
    previous = period.previous
    for row in rows:
        day, side = row["date"], row["side"]
        if period.start <= day <= period.end:
            _add(now[side], row)
            _add(series[side][period.bucket(day)], row)
        elif previous.start <= day <= previous.end:
            _add(before[side], row)
    return now, before, series


def _series(period: Period, series: dict, datasets: list[tuple[str, str, str, str]]) -> dict:
    """Chart data: a label per bucket and one list per (key, side, counter, kind)."""
    buckets = period.buckets()
    return {
        "labels": [b.isoformat() for b in buckets],
        "monthly": period.monthly,
        "datasets": [
            {
                "key": key,
                "kind": kind,
                "data": [float(series.get(side, {}).get(b, {}).get(counter, 0) or 0) for b in buckets],
            }
            for key, side, counter, kind in datasets
        ],
    }


def project_dashboard(*, project: Project, period: Period) -> Dashboard:
    """A project's figures on both sides of its deals, with the previous period's, and its chart. 3 queries."""
    today = {
        "owner_active": Count("pk", filter=Q(status=DealStatus.ACTIVE, owner=project)),
        "partner_active": Count("pk", filter=Q(status=DealStatus.ACTIVE, partner=project)),
    }
    more = _deal_parts(Q(owner=project) | Q(partner=project), period, today=today)
    rows = _side_rows(Q(project=project), [period, period.previous], group="", more=more)
    deals, active_today = _deal_figures(rows)
    now, before, series = _totals_and_series([r for r in rows if r["side"] in Side.values], period)
    o, p = Side.OWNER, Side.PARTNER

    def fig(key, side, counter, money=False):
        return Figure(key, now[side][counter], before[side][counter], money)

    figures = [
        Figure("deals_active", *deals["active"]),
        Figure("deals_new", *deals["new"]),
        Figure("deals_completed", *deals["completed"]),
        fig("clients_brought", p, "visits"),
        fig("clients_received", o, "visits"),
        fig("points_accrued", o, "points_accrued"),
        fig("points_spent", o, "points_spent"),
        fig("rewards_earned", p, "reward", money=True),
        fig("rewards_owed", o, "reward", money=True),
        fig("commission", o, "commission", money=True),
        fig("cashback", p, "points_accrued"),
    ]
    chart = _series(
        period,
        series,
        [
            ("clients_received", o, "visits", "bar"),
            ("clients_brought", p, "visits", "bar"),
            ("rewards_earned", p, "reward", "line"),
            ("rewards_owed", o, "reward", "line"),
        ],
    )
    return Dashboard(period=period, figures=figures, series=chart, active_deals=(active_today[0], active_today[1]))


def ecosystem_dashboard(*, period: Period) -> Dashboard:
    """The whole ecosystem: every visit once (its owner's side). 3 queries."""
    rows = _side_rows(Q(side=Side.OWNER), [period, period.previous], group="", more=_deal_parts(Q(), period))
    deals, _today = _deal_figures(rows)
    now, before, series = _totals_and_series([r for r in rows if r["side"] in Side.values], period)
    o = Side.OWNER

    def fig(key, counter, money=False):
        return Figure(key, now[o][counter], before[o][counter], money)

    figures = [
        Figure("deals_active", *deals["active"]),
        Figure("deals_new", *deals["new"]),
        Figure("deals_completed", *deals["completed"]),
        fig("clients", "visits"),
        fig("rewards", "reward", money=True),
        fig("commission", "commission", money=True),
        fig("points_accrued", "points_accrued"),
        fig("points_spent", "points_spent"),
        fig("check_total", "check_total", money=True),
    ]
    chart = _series(period, series, [("clients", o, "visits", "bar"), ("rewards", o, "reward", "line")])
    return Dashboard(period=period, figures=figures, series=chart)


@dataclass
class ProjectRow:
    project_id: int
    name: str
    received: int = 0
    brought: int = 0
    rewards_earned: Decimal = ZERO
    rewards_owed: Decimal = ZERO
    commission: Decimal = ZERO

    @property
    def clients(self) -> int:
        return self.received + self.brought


def project_table(*, period: Period, limit: int = 20) -> list[ProjectRow]:
    """The ecosystem's busiest projects of the period (clients received and brought). 2 queries."""
    rows = _side_rows(Q(), [period], group="project_id")
    by_project: dict[int, ProjectRow] = {}
    for row in rows:
        if not period.start <= row["date"] <= period.end:
            continue
        shown = by_project.setdefault(row["project_id"], ProjectRow(row["project_id"], ""))
        if row["side"] == Side.OWNER:
            shown.received += row["visits"] or 0
            shown.rewards_owed += row["reward"] or 0
            shown.commission += row["commission"] or 0
        else:
            shown.brought += row["visits"] or 0
            shown.rewards_earned += row["reward"] or 0
    top = sorted(by_project.values(), key=lambda r: (-r.clients, r.project_id))[:limit]
    names = dict(Project.objects.filter(pk__in=[r.project_id for r in top]).values_list("pk", "name"))
    for row in top:
        row.name = names.get(row.project_id, "")
    return top


@dataclass
class DealRow:
    deal_id: int
    code: str
    lot_title: str
    we_own: bool  # the project is the deal's owner (it pays); else the partner (it earns)
    counterpart_id: int
    counterpart: str
    visits: int
    reward: Decimal
    commission: Decimal
    points_accrued: int
    points_spent: int


@dataclass
class CounterpartRow:
    project_id: int
    name: str
    deals: int = 0
    brought: int = 0  # clients this project sent to the counterpart
    received: int = 0  # clients the counterpart sent here
    rewards_earned: Decimal = ZERO
    rewards_owed: Decimal = ZERO

    @property
    def clients(self) -> int:
        return self.brought + self.received


def deal_tables(
    *, project: Project, period: Period, limit: int = 50
) -> tuple[list[DealRow], list[CounterpartRow], int]:
    """The period's figures by deal (the busiest `limit`) and by counterpart (all of them), and how many deals
    had visits: one query over the project's `DealDay` rows of the period."""
    rows = (
        DealDay.objects.filter(Q(owner=project) | Q(partner=project), day__range=(period.start, period.end))
        .order_by()
        .values("deal_id", "deal__code", "deal__lot__title", "owner_id", "partner_id", "owner__name", "partner__name")
        .annotate(**_SUMS)
    )
    deals, counterparts = [], {}
    for row in rows:
        we_own = row["owner_id"] == project.pk
        other_id = row["partner_id"] if we_own else row["owner_id"]
        other = row["partner__name"] if we_own else row["owner__name"]
        deals.append(
            DealRow(
                deal_id=row["deal_id"],
                code=row["deal__code"],
                lot_title=row["deal__lot__title"],
                we_own=we_own,
                counterpart_id=other_id,
                counterpart=other,
                visits=row["visits"] or 0,
                reward=row["reward"] or ZERO,
                commission=row["commission"] or ZERO,
                points_accrued=row["points_accrued"] or 0,
                points_spent=row["points_spent"] or 0,
            )
        )
        c = counterparts.setdefault(other_id, CounterpartRow(other_id, other))
        c.deals += 1
        if we_own:
            c.received += row["visits"] or 0
            c.rewards_owed += row["reward"] or ZERO
        else:
            c.brought += row["visits"] or 0
            c.rewards_earned += row["reward"] or ZERO
    deals = [d for d in deals if d.visits]
    deals.sort(key=lambda d: (-d.visits, -d.reward, d.deal_id))
    table = sorted((c for c in counterparts.values() if c.clients), key=lambda c: (-c.clients, c.name, c.project_id))
    return deals[:limit], table, len(deals)


@dataclass(frozen=True)
class Lifetime:
    """A project's figures through the portal since the start (the catalog card)."""

    points_accrued: int = 0
    points_spent: int = 0
    clients_sent: int = 0
    clients_received: int = 0


def project_lifetime(*, project: Project) -> Lifetime:
    """All time, from the project's monthly roll-up: one query of a few dozen rows."""
    sums = {
        row["side"]: row
        for row in ProjectMonth.objects.filter(project=project)
        .order_by()
        .values("side")
        .annotate(visits=Sum("visits"), points_accrued=Sum("points_accrued"), points_spent=Sum("points_spent"))
    }
    owner, partner = sums.get(Side.OWNER, {}), sums.get(Side.PARTNER, {})
    return Lifetime(
        points_accrued=owner.get("points_accrued") or 0,
        points_spent=owner.get("points_spent") or 0,
        clients_sent=partner.get("visits") or 0,
        clients_received=owner.get("visits") or 0,
    )


# --- the flow matrix (SPEC §7.6) ---------------------------------------------------------------------------


@dataclass
class Flow:
    """Clients `partner` sent to `owner` in the period, and what the owner paid for them."""

    partner_id: int
    owner_id: int
    visits: int = 0
    reward: Decimal = ZERO
    commission: Decimal = ZERO
    shared: int | None = None  # clients of both (all time, as of `Matrix.shared_at`)
    partner: str = ""
    owner: str = ""

    @property
    def cost_per_client(self) -> Decimal | None:
        """What the owner paid for one client: the partner's reward and the platform's commission."""
        if not self.visits:
            return None
        return ((self.reward + self.commission) / self.visits).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Matrix:
    period: Period
    projects: list[tuple[int, str]]  # the rows and columns, busiest first
    cells: dict[tuple[int, int], Flow]  # (partner, owner) → flow
    pairs: list[Flow]  # the busiest flows between the shown projects
    peak: int  # the largest cell: the heatmap's scale
    shared_at: datetime.datetime | None

    def intensity(self, flow: Flow | None) -> int:
        """0..10: the shade of a heatmap cell."""
        if flow is None or not flow.visits or not self.peak:
            return 0
        return max(1, round(10 * flow.visits / self.peak))


def flow_matrix(*, period: Period, size: int = 12, pairs: int = 30) -> Matrix:
    """The `size` busiest projects of the period (clients received and brought) as rows (who sends) and columns
    (who receives), the flows between them and the busiest `pairs` of them with their shared clients.
    Four queries: the projects (two), the flows between them (one seek per pair on `FlowDay`'s key), the
    shared clients of those pairs."""
    top = project_table(period=period, limit=size)
    ids = [row.project_id for row in top]
    names = {row.project_id: row.name for row in top}
    cells: dict[tuple[int, int], Flow] = {}
    if ids:
        rows = (
            FlowDay.objects.filter(owner_id__in=ids, partner_id__in=ids, day__range=(period.start, period.end))
            .order_by()
            .values("partner_id", "owner_id")
            .annotate(visits=Sum("visits"), reward=Sum("reward"), commission=Sum("commission"))
        )
        for row in rows:
            if row["visits"]:
                cells[row["partner_id"], row["owner_id"]] = Flow(
                    row["partner_id"],
                    row["owner_id"],
                    row["visits"],
                    row["reward"] or ZERO,
                    row["commission"] or ZERO,
                    partner=names[row["partner_id"]],
                    owner=names[row["owner_id"]],
                )
    busiest = sorted(cells.values(), key=lambda f: (-f.visits, f.partner_id, f.owner_id))[:pairs]
    shared_at = None
    if busiest:
        wanted = Q()
        for flow in busiest:
            a, b = sorted((flow.partner_id, flow.owner_id))
            wanted |= Q(project_a_id=a, project_b_id=b)
        counts = {(r.project_a_id, r.project_b_id): r for r in SharedClients.objects.filter(wanted)}
        for flow in busiest:
            found = counts.get(tuple(sorted((flow.partner_id, flow.owner_id))))
            flow.shared = found.clients if found else 0
            if found:
                shared_at = found.computed_at
    return Matrix(
        period=period,
        projects=[(row.project_id, row.name) for row in top],
        cells=cells,
        pairs=busiest,
        peak=max((f.visits for f in cells.values()), default=0),
        shared_at=shared_at or SharedClients.objects.order_by().values_list("computed_at", flat=True).first(),
    )


def all_flows(*, period: Period):
    """Every pair's flow of the period, busiest first, with the project names and shared clients (the export:
    streamed, not a page)."""
    names = dict(Project.objects.values_list("pk", "name"))
    shared = {(a, b): n for a, b, n in SharedClients.objects.values_list("project_a_id", "project_b_id", "clients")}
    rows = (
        FlowDay.objects.filter(day__range=(period.start, period.end))
        .order_by()
        .values("partner_id", "owner_id")
        .annotate(visits=Sum("visits"), reward=Sum("reward"), commission=Sum("commission"))
        .filter(visits__gt=0)
        .order_by("-visits", "partner_id", "owner_id")
    )
    for row in rows.iterator(chunk_size=2000):
        flow = Flow(
            row["partner_id"],
            row["owner_id"],
            row["visits"],
            row["reward"] or ZERO,
            row["commission"] or ZERO,
            partner=names.get(row["partner_id"], ""),
            owner=names.get(row["owner_id"], ""),
        )
        flow.shared = shared.get(tuple(sorted((flow.partner_id, flow.owner_id))), 0)
        yield flow


def shared_clients_rebuild() -> int:
    """Recount, for every pair of projects, the clients who came to both (confirmed visits, all time). One pass
    over the visits ordered by client, in flat memory per client; the table is replaced in one transaction."""
    from itertools import combinations

    rows = (
        Visit.objects.filter(status=VisitStatus.CONFIRMED)
        .order_by("client", "owner_id")
        .values_list("client", "owner_id")
        .distinct()
    )
    pairs: dict[tuple[int, int], int] = defaultdict(int)
    current, owners = None, []
    for client, owner_id in rows.iterator(chunk_size=10_000):
        if client != current:
            for pair in combinations(owners, 2):
                pairs[pair] += 1
            current, owners = client, []
        owners.append(owner_id)
    for pair in combinations(owners, 2):
        pairs[pair] += 1
    now = timezone.now()
    with transaction.atomic():
        SharedClients.objects.all().delete()
        SharedClients.objects.bulk_create(
            (SharedClients(project_a_id=a, project_b_id=b, clients=n, computed_at=now) for (a, b), n in pairs.items()),
            batch_size=5000,
        )
    return len(pairs)
