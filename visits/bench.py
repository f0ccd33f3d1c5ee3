"""Bench dataset `visits` and the analytics pages (`make bench`).

Large: about a million referred visits over the bench deals (`offers/bench.py`), each inside its deal's life
(from its start to its end, or the bench's "now", 2026-06-01), a client once per lot, clients drawn from a
pool so that projects share them. The lots' quotas are not applied: the bench lots' quotas add up to about the
target, and applied they would leave a third of it. The roll-ups (`DealDay`, `FlowDay`, `ProjectDay`,
`ProjectMonth`) are written from the same rows, as `visits.rollups.rebuild` would, and shared clients are
counted by `visits.analytics.shared_clients_rebuild` itself. Ledger entries are not written: the pages timed
here read the roll-ups only. Order 100: after `deals`.

The pages are timed on the dataset's last year (2025-06-01 … 2026-05-31, a chart by month) and its last 30
days (a chart by day), each against the previous equal period.
"""

import datetime as dt
import hashlib
import random
from collections import defaultdict
from decimal import Decimal

from django.http import HttpResponse
from django.urls import reverse

from portal.bench import by_size, dataset, insert_rows, page, personas

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
YEAR = "period=custom&start=2025-06-01&end=2026-05-31"
DAYS_30 = "period=custom&start=2026-05-02&end=2026-05-31"
ONE_DAY = "period=custom&start=2025-01-07&end=2025-01-07"  # before almost every deal: the "one row" side
COUNTERS = ("visits", "reward", "commission", "points_accrued", "points_spent", "check_total")


def _client(i: int) -> str:
    return hashlib.sha256(f"bench-client-{i}".encode()).hexdigest()


@dataset("visits", order=100)
def build(*, size):
    from django.conf import settings

    from offers.models import Deal
    from visits.analytics import shared_clients_rebuild
    from visits.models import DealDay, FlowDay, ProjectDay, ProjectMonth, Visit

    rng = random.Random(100)
    target = by_size(size, small=50_000, large=1_000_000)
    pool = by_size(size, small=20_000, large=300_000)  # clients: a pool small enough that projects share them
    clients = [_client(i) for i in range(pool)]
    percent = Decimal(str(settings.PORTAL_COMMISSION_PERCENT))
    deals = list(
        Deal.objects.order_by("id").values_list(
            "id", "lot_id", "owner_id", "partner_id", "terms", "created_at", "ended_at"
        )
    )
    per_deal = target / max(len(deals), 1) * 1.1  # some deals are too short or repeat a client: aim above
    seen: set[tuple[int, int]] = set()  # (lot, client)
    deal_day, flow_day = defaultdict(lambda: [0] * 6), defaultdict(lambda: [0] * 6)
    side_day, side_month = defaultdict(lambda: [0] * 6), defaultdict(lambda: [0] * 6)
    zone = dt.timezone(dt.timedelta(hours=3))  # Europe/Moscow, the portal's days

    def rows():
        made = 0
        order = list(range(len(deals)))
        rng.shuffle(order)
        for index in order:
            if made >= target:
                return
            deal_id, lot_id, owner, partner, terms, start, end = deals[index]
            end = min(end or NOW, NOW)
            if end <= start:
                continue
            reward = Decimal(str(terms.get("reward") or "0"))
            commission = (reward * percent / 100).quantize(Decimal("0.01"))
            cashback = int(terms.get("cashback_points") or 0)
            wanted = min(int(rng.random() * 2 * per_deal), target - made)
            span = (end - start).total_seconds()
            for _ in range(max(wanted, 0)):
                c = rng.randrange(pool)
                if (lot_id, c) in seen:
                    continue
                seen.add((lot_id, c))
                made += 1
                at = start + dt.timedelta(seconds=span * rng.random())
                day = at.astimezone(zone).date()
                check = Decimal(rng.randrange(500, 9000))
                spent = rng.choice((0, 0, 0, 50, 100))
                values = (1, reward, commission, cashback, spent, check)
                for table, key in (
                    (deal_day, (deal_id, day, owner, partner)),
                    (flow_day, (owner, partner, day)),
                    (side_day, (owner, "o", day)),
                    (side_day, (partner, "p", day)),
                    (side_month, (owner, "o", day.replace(day=1))),
                    (side_month, (partner, "p", day.replace(day=1))),
                ):
                    sums = table[key]
                    for i, v in enumerate(values):
                        sums[i] += v
                yield (
                    deal_id, lot_id, owner, partner, clients[c], at, day, check, reward, commission, cashback,
                    spent, "import", "", "", "confirmed", None, at,
                )  # fmt: skip

    columns = [
        "deal_id",
        "lot_id",
        "owner_id",
        "partner_id",
        "client",
        "visited_at",
        "day",
        "check_amount",
        "reward",
        "commission",
        "points_accrued",
        "points_spent",
        "source",
        "external_id",
        "payload_hash",
        "status",
        "recorded_by_id",
        "created_at",
    ]
    visits = insert_rows(Visit._meta.db_table, columns, rows())

    def flat(table):
        return ((*key, *sums) for key, sums in table.items())

    insert_rows(DealDay._meta.db_table, ["deal_id", "day", "owner_id", "partner_id", *COUNTERS], flat(deal_day))
    insert_rows(FlowDay._meta.db_table, ["owner_id", "partner_id", "day", *COUNTERS], flat(flow_day))
    insert_rows(ProjectDay._meta.db_table, ["project_id", "side", "day", *COUNTERS], flat(side_day))
    insert_rows(ProjectMonth._meta.db_table, ["project_id", "side", "month", *COUNTERS], flat(side_month))
    pairs = shared_clients_rebuild()
    return {
        "visits": visits,
        "deal days": len(deal_day),
        "flow days": len(flow_day),
        "project days": len(side_day),
        "project months": len(side_month),
        "pairs with shared clients": pairs,
    }


# --- pages ----------------------------------------------------------------------------------------------------


def _text(lines) -> HttpResponse:
    return HttpResponse("\n".join(str(line) for line in lines), content_type="text/plain; charset=utf-8")


def _period(query: str):
    """The period a bench query string names (`period=30`, `period=custom&start=…&end=…`), without the web's form."""
    import datetime

    from visits.analytics import DEFAULT_PERIOD, make_period, portal_today

    data = dict(part.split("=") for part in query.split("&"))
    start, end = (datetime.date.fromisoformat(data[k]) if data.get(k) else None for k in ("start", "end"))
    return make_period(data.get("period") or DEFAULT_PERIOD, today=portal_today(), start=start, end=end)


def _rep_bare(query: str):
    def bare(request, project_slug):
        from projects.selectors import project_get
        from visits.analytics import deal_tables, project_dashboard

        project = project_get(user=request.user, slug=project_slug)
        period = _period(query)
        board = project_dashboard(project=project, period=period)
        deals, counterparts, _n = deal_tables(project=project, period=period)
        return _text([*(f"{f.key} {f.value} {f.change}" for f in board.figures), len(deals), len(counterparts)])

    return bare


def _cabinet(slug: str, query: str) -> str:
    return reverse("cabinet:dashboard", kwargs={"project_slug": slug}) + f"?{query}"


for _label, _query in (("year", YEAR), ("30 days", DAYS_30)):
    page(
        f"rep: dashboard with figures ({_label})",
        url=lambda q=_query: _cabinet(personas.MAIN_PROJECT_SLUG, q),
        one_row_url=lambda q=_query: _cabinet(personas.SOLO_PROJECT_SLUG, q),
        persona=personas.rep,
        bare=_rep_bare(_query),
    )


def _staff(name: str, query: str) -> str:
    return reverse(name) + f"?{query}"


def bare_ecosystem(request):
    from visits.analytics import ecosystem_dashboard, project_table

    period = _period(YEAR)
    board = ecosystem_dashboard(period=period)
    return _text([*(f"{f.key} {f.value} {f.change}" for f in board.figures), *project_table(period=period)])


page(
    "staff: analytics of the ecosystem (year)",
    url=lambda: _staff("staff:analytics", YEAR),
    one_row_url=lambda: _staff("staff:analytics", ONE_DAY),
    persona=personas.director,
    bare=bare_ecosystem,
)
page(
    "staff: analytics of a project (year)",
    url=lambda: _staff("staff:analytics", f"{YEAR}&project={personas.project().pk}"),
    one_row_url=lambda: _staff("staff:analytics", f"{YEAR}&project={personas.project(personas.SOLO_PROJECT_SLUG).pk}"),
    persona=personas.director,
)


def bare_flows(request):
    from visits.analytics import flow_matrix

    matrix = flow_matrix(period=_period(YEAR))
    return _text([f"{f.partner} {f.owner} {f.visits} {f.shared}" for f in matrix.pairs])


for _label, _query in (("year", YEAR), ("30 days", DAYS_30)):
    page(
        f"staff: flow matrix ({_label})",
        url=lambda q=_query: _staff("staff:analytics_flows", q),
        one_row_url=lambda: _staff("staff:analytics_flows", ONE_DAY),
        persona=personas.director,
        bare=bare_flows if _label == "year" else None,
    )
