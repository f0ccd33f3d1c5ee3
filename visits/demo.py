"""Referred visits of the demo ecosystem (`manage.py seed_demo`, after the marketplace): weeks of clients on the
demo deals, recorded through the same checks and writes as the counter page, the import and the API
(`visits.services.clean_visit`, `find_deal`, `record_in_transaction` — the seed holds one transaction, so it
cannot open `visit_record`'s durable one).

The marketplace's deals were all made today; the demo is the ecosystem's past, so each deal is first moved
back to its lot's start (the response and the deal's dates only), then clients come at random hours between
then and the deal's end, a little more often as the weeks go on. One lot fills its quota and closes, as a
successful lot does. Every visit has an external id (`demo-<code>-<n>`); a deal that has demo visits gets
no more, so a second seed adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.services import without_email
from offers.models import CloseReason, Deal, Lot, Response
from visits.models import Visit, VisitSource
from visits.services import VisitRefused, clean_visit, find_deal, record_in_transaction

# The share of its quota the deals of a lot bring between them (but the lot the demo fills).
SHARE = (0.35, 0.75)


def _start_of(deal: Deal) -> dt.datetime:
    local = ZoneInfo(settings.TIME_ZONE)
    begins = dt.datetime.combine(deal.lot.valid_from, dt.time(10, 0), tzinfo=local)
    return min(begins, deal.created_at)


def _move_back(deal: Deal, start: dt.datetime) -> None:
    """The demo's past: the deal (and its response) began at the lot's start."""
    if deal.created_at > start:
        Deal.objects.filter(pk=deal.pk).update(created_at=start)
        Response.objects.filter(pk=deal.response_id).update(created_at=start - dt.timedelta(days=2), decided_at=start)
        deal.created_at = start


def _moment(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    """A visit time between start and end, more often towards the end (a deal gathers pace), at opening hours."""
    span = (end - start).total_seconds()
    moment = start + dt.timedelta(seconds=span * (rng.random() ** 0.7))
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    moment = local.replace(hour=rng.randint(11, 21), minute=rng.randint(0, 59))
    return min(max(moment, start), end)


def seed_visits(*, now: dt.datetime | None = None) -> int:
    """Record the demo's visits (those not recorded yet). Returns how many were new. Call inside the seed's
    transaction."""
    now = now or timezone.now()
    rng = random.Random(2026)
    created = 0
    deals = list(Deal.objects.select_related("lot", "owner", "partner").order_by("pk"))
    per_lot: dict[int, int] = {}
    for deal in deals:
        per_lot[deal.lot_id] = per_lot.get(deal.lot_id, 0) + 1
    seeded = set(Visit.objects.filter(external_id__startswith="demo-").values_list("deal_id", flat=True).distinct())
    deals = [deal for deal in deals if deal.pk not in seeded]  # a second seed adds nothing to a seeded deal
    # The lot the demo fills (once): the published lot with one active deal and the smallest quota.
    fillable = [d for d in deals if d.status == "active" and d.lot.status == "published" and per_lot[d.lot_id] == 1]
    already = Lot.objects.filter(close_reason=CloseReason.QUOTA).exists()
    filled = min(fillable, key=lambda d: (d.lot.quota, d.pk)).lot_id if fillable and not already else None
    with without_email():
        for deal in deals:
            start = _start_of(deal)
            _move_back(deal, start)
            end = min(deal.ended_at or now, now) - dt.timedelta(minutes=1)
            if end <= start:
                continue
            if deal.lot_id == filled:
                count = deal.lot.quota  # every place taken: the lot closes on its last client
            else:
                count = max(1, round(deal.lot.quota * rng.uniform(*SHARE) / per_lot[deal.lot_id]))
            cashier = User.objects.filter(memberships__project=deal.owner).order_by("pk").first()
            moments = sorted(_moment(rng, start, end) for _ in range(count))
            for n, moment in enumerate(moments):
                source = rng.choices([VisitSource.MANUAL, VisitSource.API, VisitSource.IMPORT], [6, 3, 1])[0]
                data = clean_visit(
                    code=deal.code,
                    client_phone=f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                    visited_at=moment,
                    check_amount=Decimal(rng.randrange(800, 6000, 50)),
                    points_spent=rng.choice([0, 0, 0, 50, 100, 200]),
                    external_id=f"demo-{deal.code}-{n}",
                )
                actor = cashier if source == VisitSource.MANUAL else None
                try:
                    with transaction.atomic():
                        found = find_deal(data.code, owner=deal.owner, actor=actor)
                        recorded = record_in_transaction(found, data, source=source, actor=actor)
                except VisitRefused:
                    continue  # the quota met or a client drawn twice: the demo goes on as a till would
                created += recorded.created
    return created


def _month_before(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def seed_ledger(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """The rest of the demo's ledger, once: last month paid — each owner paid its partners their rewards and Misty
    its commission, through `payment_record` — and two disputes on the latest visits of two owners, one upheld by
    staff (the visit reversed) and one still open (the staff's queue has work).
    Returns (payments, disputes) made now; a second seed makes none."""
    from django.db.models import Sum

    from projects.models import Membership, Project, ProjectRight
    from visits.disputes import dispute_open, dispute_resolve
    from visits.models import DealDay, Dispute, Payment, VisitStatus
    from visits.payments import payment_record

    staff = User.objects.filter(email="admin@misty.example").first()
    if staff is None:
        return 0, 0
    today = (now or timezone.now()).astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    first, last = _month_before(today)
    payments = disputes = 0
    with without_email():
        if not Payment.objects.exists():
            month = first.strftime("%m.%Y")
            paid_on = min(today, last + dt.timedelta(days=5))
            rows = (
                DealDay.objects.filter(day__range=(first, last))
                .order_by()
                .values("owner", "partner")
                .annotate(reward=Sum("reward"), commission=Sum("commission"))
                .order_by("owner", "partner")
            )
            commission: dict[int, Decimal] = {}
            projects = {p.pk: p for p in Project.objects.all()}
            for row in rows:
                commission[row["owner"]] = commission.get(row["owner"], Decimal(0)) + (row["commission"] or 0)
                if row["reward"]:
                    payment_record(
                        payer=projects[row["owner"]],
                        payee=projects[row["partner"]],
                        amount=row["reward"],
                        paid_on=paid_on,
                        period_from=first,
                        period_to=last,
                        note=f"Вознаграждения за {month}, банковский перевод",
                        actor=staff,
                    )
                    payments += 1
            for owner, amount in sorted(commission.items()):
                if amount:
                    payment_record(
                        payer=projects[owner],
                        payee=None,
                        amount=amount,
                        paid_on=paid_on,
                        period_from=first,
                        period_to=last,
                        note=f"Комиссия платформы за {month}",
                        actor=staff,
                    )
                    payments += 1
        if not Dispute.objects.exists():
            candidates = (
                Visit.objects.filter(status=VisitStatus.CONFIRMED).select_related("owner").order_by("-visited_at")
            )
            seen: set[int] = set()
            reasons = [
                ("Гость давно наш: в приложении лояльности его визиты задолго до сделки.", True),
                ("Чек отменён в тот же вечер, деньги гостю вернули.", None),
            ]
            for visit in candidates[:200]:
                if visit.owner_id in seen or len(seen) == len(reasons):
                    continue
                manager = (
                    Membership.objects.filter(project_id=visit.owner_id, right=ProjectRight.MANAGER)
                    .select_related("user")
                    .order_by("pk")
                    .first()
                )
                if manager is None:
                    continue
                reason, uphold = reasons[len(seen)]
                seen.add(visit.owner_id)
                dispute = dispute_open(visit=visit, project=visit.owner, actor=manager.user, reason=reason)
                if uphold:
                    dispute_resolve(
                        dispute=dispute,
                        actor=staff,
                        uphold=True,
                        resolution="Проверили по приложению лояльности: гость действительно ваш. Визит сторнирован.",
                    )
                disputes += 1
    return payments, disputes
