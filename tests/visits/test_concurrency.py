"""The quota is never oversold under concurrent writes (../shared/PATTERNS.md, after pretix's locking tests).

A negative control first shows the race is real: without the lot's lock, and with a short sleep between the
count and the insert, concurrent callers oversell. Then 50 callers on a lot with quota 100, twenty rounds:
never more than 100 confirmed, every visit with its legs, the roll-ups equal to the raw sums.
"""

import threading
import time

import pytest
from django.db import connection, connections

from offers.models import Lot
from tests.conftest import need
from tests.visits.conftest import make_deal
from visits import checks, services
from visits.models import LedgerEntry, Visit, VisitStatus

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CALLERS = 50


def hammer(deal, attempts_per_caller: int, *, external_id=None):
    """CALLERS threads start together; each records `attempts_per_caller` distinct clients. → outcome codes."""
    barrier = threading.Barrier(CALLERS)
    outcomes = []
    lock = threading.Lock()

    def caller(n):
        try:
            barrier.wait()
            for attempt in range(attempts_per_caller):
                phone = f"+7916{n:03d}{attempt:04d}"
                try:
                    recorded = services.visit_record(
                        code=deal.code,
                        client_phone="+79160000000" if external_id else phone,
                        source="api",
                        owner=deal.owner,
                        external_id=external_id or "",
                    )
                    outcome = "created" if recorded.created else "replayed"
                except services.VisitRefused as refused:
                    outcome = refused.code
                with lock:
                    outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def quota_deal(rep_a, rep_b, moderator, project_a, project_b):
    need(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")

    def make(quota):
        return make_deal(
            owner_rep=rep_a, partner_rep=rep_b, moderator=moderator, owner=project_a, partner=project_b, quota=quota
        )

    return make


def test_without_the_lock_the_quota_is_oversold(quota_deal, monkeypatch):
    """The negative control: proves the real test below can fail."""
    deal = quota_deal(5)
    real_insert = services._insert

    def slow_insert(*args, **kwargs):
        time.sleep(0.2)  # between the count and the insert
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(services, "_lock_lot", lambda lot_id: Lot.objects.get(pk=lot_id))
    monkeypatch.setattr(services, "_insert", slow_insert)
    hammer(deal, 1)
    assert Visit.objects.filter(lot=deal.lot, status=VisitStatus.CONFIRMED).count() > 5


@pytest.mark.parametrize("round_", range(20))
def test_fifty_callers_never_oversell_a_quota_of_100(quota_deal, round_):
    deal = quota_deal(100)
    outcomes = hammer(deal, 3)  # 150 clients for 100 places
    confirmed = Visit.objects.filter(lot=deal.lot, status=VisitStatus.CONFIRMED).count()
    assert confirmed == 100 == outcomes.count("created")
    assert set(outcomes) <= {"created", "quota_reached", "deal_completed"}, set(outcomes)
    assert LedgerEntry.objects.filter(visit__lot=deal.lot).count() == 100 * 5, "no lost or doubled leg"
    deal.lot.refresh_from_db()
    assert deal.lot.status == "closed"
    assert checks.first_violation() is None


def test_the_same_external_id_sent_at_once_is_one_visit(quota_deal):
    deal = quota_deal(100)
    outcomes = hammer(deal, 1, external_id="app-42")
    assert outcomes.count("created") == 1 and outcomes.count("replayed") == CALLERS - 1
    assert Visit.objects.count() == 1
    assert checks.first_violation() is None
