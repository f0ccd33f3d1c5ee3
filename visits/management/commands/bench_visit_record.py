"""`manage.py bench_visit_record`: how many visits per second `visit_record` confirms with many concurrent
callers, and that none is oversold (issue 10: aim ≥ 300/s with 50 callers on PostgreSQL, 0 oversold).

It makes its own projects, lots and deals (a throwaway database: the bench's, or one made for it), then
`--callers` threads each record visits of distinct clients on lots drawn at random, `--lots` lots of quota
`--quota` (more attempts than places, so quotas fill and refusals happen as in life). Prints confirmed
visits per second, refusals by code, and `check_ledger`'s verdict.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/misty_vr DJANGO_SETTINGS_MODULE=portal.settings.bench \\
        python manage.py migrate && python manage.py bench_visit_record
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter

from django.core.management.base import BaseCommand
from django.db import connection, connections

from accounts.models import Role, User
from offers import services as offers
from offers.models import Deal
from projects.models import Membership, Project
from visits import checks
from visits.models import Visit, VisitSource, VisitStatus
from visits.services import VisitRefused, visit_record


class Command(BaseCommand):
    help = "Measure visit_record's confirmed visits per second under concurrent callers, and check none is oversold."

    def add_arguments(self, parser):
        parser.add_argument("--callers", type=int, default=50)
        parser.add_argument("--lots", type=int, default=40)
        parser.add_argument("--quota", type=int, default=100)
        parser.add_argument("--attempts", type=int, default=5000, help="visits tried in all")

    def handle(self, *args, callers, lots, quota, attempts, **options):
        import datetime as dt
        from decimal import Decimal

        from django.utils import timezone

        stamp = int(time.time())
        moderator = User.objects.create(email=f"vr-mod-{stamp}@bench.example", role=Role.MODERATOR)
        today = timezone.localdate()
        deals = []
        for n in range(lots):
            owner = Project.objects.create(name=f"VR owner {stamp}-{n}", slug=f"vr-o-{stamp}-{n}")
            partner = Project.objects.create(name=f"VR partner {stamp}-{n}", slug=f"vr-p-{stamp}-{n}")
            owner_rep = User.objects.create(email=f"vr-o{n}-{stamp}@bench.example", role=Role.REPRESENTATIVE)
            partner_rep = User.objects.create(email=f"vr-p{n}-{stamp}@bench.example", role=Role.REPRESENTATIVE)
            Membership.objects.create(user=owner_rep, project=owner)
            Membership.objects.create(user=partner_rep, project=partner)
            lot = offers.lot_create(
                project=owner,
                actor=owner_rep,
                data={
                    "title": f"Bench lot {n}",
                    "gender": "any",
                    "quota": quota,
                    "benefit_type": "discount_percent",
                    "benefit_value": Decimal("10"),
                    "reward": Decimal("300"),
                    "cashback_points": 50,
                    "valid_from": today,
                    "valid_until": today + dt.timedelta(days=30),
                },
            )
            offers.lot_submit(lot=lot, actor=owner_rep)
            offers.lot_approve(lot=lot, actor=moderator)
            response = offers.response_submit(lot=lot, project=partner, actor=partner_rep, data={"channels": "bench"})
            deals.append(offers.response_accept(response=response, actor=owner_rep))
        connections.close_all()

        outcomes: Counter = Counter()
        guard = threading.Lock()
        per_caller = attempts // callers
        barrier = threading.Barrier(callers)

        def caller(n):
            rng = random.Random(n)
            try:
                barrier.wait()
                for attempt in range(per_caller):
                    deal = rng.choice(deals)
                    try:
                        visit_record(
                            code=deal.code,
                            client_phone=f"+79{n:03d}{attempt:06d}",
                            source=VisitSource.API,
                            owner=Project(pk=deal.owner_id),
                        )
                        outcome = "confirmed"
                    except VisitRefused as refused:
                        outcome = refused.code
                    with guard:
                        outcomes[outcome] += 1
            finally:
                connections.close_all()

        threads = [threading.Thread(target=caller, args=(n,)) for n in range(callers)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started

        lot_ids = [deal.lot_id for deal in deals]
        oversold = sum(
            max(0, Visit.objects.filter(lot_id=lot_id, status=VisitStatus.CONFIRMED).count() - quota)
            for lot_id in lot_ids
        )
        violation = checks.first_violation()
        self.stdout.write(
            f"{connection.vendor}: {callers} callers, {lots} lots of quota {quota}, {sum(outcomes.values())} attempts "
            f"in {seconds:.1f} s"
        )
        self.stdout.write(
            f"  confirmed: {outcomes['confirmed']} ({outcomes['confirmed'] / seconds:.0f}/s); attempts "
            f"{sum(outcomes.values()) / seconds:.0f}/s; refused: "
            + ", ".join(f"{code} {n}" for code, n in sorted(outcomes.items()) if code != "confirmed")
        )
        completed = Deal.objects.filter(lot_id__in=lot_ids, status="completed").count()
        self.stdout.write(f"  oversold: {oversold}; completed deals (their lots full): {completed}")
        self.stdout.write(f"  check_ledger: {violation or 'consistent'}")
