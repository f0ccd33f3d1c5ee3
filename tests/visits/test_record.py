"""visit_record: the one way a visit enters, its refusals, its ledger legs, roll-ups and idempotency."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from auditlog.models import AuditEvent
from offers import codes
from offers.models import CloseReason, DealStatus, LotStatus
from offers.services import deal_cancel, lot_pause
from tests.visits.conftest import make_deal
from visits import checks
from visits.clients import client_key, normalize_card, normalize_phone
from visits.models import AppendOnlyError, DealDay, EntryKind, FlowDay, LedgerEntry, Visit, VisitStatus
from visits.services import VisitRefused, visit_record, visit_reverse

pytestmark = pytest.mark.django_db


def record(deal, phone="+7 916 123-45-67", **kwargs):
    kwargs.setdefault("source", "manual")
    kwargs.setdefault("owner", deal.owner)
    return visit_record(code=codes.display(deal.code).lower(), client_phone=phone, **kwargs)


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("+7 (916) 123-45-67", "79161234567"),
        ("8 916 123 45 67", "79161234567"),
        ("9161234567", "79161234567"),
        ("79161234567", "79161234567"),
        ("+375 29 123 45 67", "375291234567"),
        ("123", None),
        ("8 916 12", None),
        ("+7 916 abc", None),
        ("", None),
    ],
)
def test_phones_are_normalized_before_hashing(typed, digits):
    assert normalize_phone(typed) == digits


def test_a_client_is_a_keyed_hash_never_the_number(settings):
    key = client_key(phone="8 916 123 45 67")
    assert key == client_key(phone="+7 916 123-45-67")
    assert len(key) == 64 and "9161234567" not in key
    assert client_key(card="79161234567") != key, "a card that looks like a phone is another client"
    assert normalize_card(" ab-12 34 ") == "AB1234"
    settings.CLIENT_HASH_KEY = "another key"
    assert client_key(phone="+7 916 123-45-67") != key, "the hash depends on the secret"


def test_a_visit_writes_balanced_legs_rollups_and_the_journal(deal, rep_a):
    recorded = record(deal, actor=rep_a, check_amount="1 500,50", points_spent=20)
    visit = recorded.visit
    assert recorded.created and not recorded.quota_reached
    assert (visit.reward, visit.commission, visit.points_accrued, visit.points_spent) == (
        Decimal("300.00"),
        Decimal("30.00"),
        50,
        20,
    )
    assert visit.check_amount == Decimal("1500.50")
    assert visit.client == client_key(phone="89161234567")
    legs = {(e.kind, e.project_id): (e.amount, e.points) for e in LedgerEntry.objects.filter(visit=visit)}
    assert legs == {
        (EntryKind.REWARD, deal.partner_id): (Decimal("300.00"), 0),
        (EntryKind.REWARD, deal.owner_id): (Decimal("-300.00"), 0),
        (EntryKind.COMMISSION, deal.owner_id): (Decimal("-30.00"), 0),
        (EntryKind.COMMISSION, None): (Decimal("30.00"), 0),
        (EntryKind.POINTS_ACCRUED, deal.owner_id): (Decimal("0.00"), 50),
        (EntryKind.POINTS_SPENT, deal.owner_id): (Decimal("0.00"), -20),
    }
    assert len({e.txn for e in LedgerEntry.objects.filter(visit=visit)}) == 1
    day = DealDay.objects.get(deal=deal)
    assert (day.visits, day.reward, day.commission, day.points_accrued, day.points_spent, day.check_total) == (
        1,
        Decimal("300.00"),
        Decimal("30.00"),
        50,
        20,
        Decimal("1500.50"),
    )
    assert FlowDay.objects.get(owner=deal.owner, partner=deal.partner).visits == 1
    event = AuditEvent.objects.get(event="visits.visit.recorded")
    assert event.actor == rep_a and event.project == deal.owner
    assert "9161234567" not in str(event.changes), "no phone number in the journal"
    assert checks.first_violation() is None


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"phone": "12"}, "invalid_client_phone"),
        ({"check_amount": "-1"}, "invalid_amount"),
        ({"check_amount": "12.345"}, "invalid_amount"),
        ({"check_amount": "NaN"}, "invalid_amount"),
        ({"check_amount": "much"}, "invalid_amount"),
        ({"points_spent": "-3"}, "invalid_points"),
        ({"points_spent": "1.5"}, "invalid_points"),
        ({"visited_at": timezone.now() + dt.timedelta(hours=1)}, "visit_in_future"),
        ({"visited_at": timezone.now() - dt.timedelta(days=30)}, "visit_before_deal"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(deal, rep_a, kwargs, code):
    with pytest.raises(VisitRefused) as refused:
        record(deal, actor=rep_a, **kwargs)
    assert refused.value.code == code and str(refused.value.message)
    assert not Visit.objects.exists() and not LedgerEntry.objects.exists() and not DealDay.objects.exists()


def test_unknown_and_foreign_codes_read_the_same(deal, rep_a, rep_b, project_b):
    for typed in ("AAA-AAA", "0O1I", ""):
        with pytest.raises(VisitRefused, match="No deal has this code"):
            visit_record(code=typed, client_phone="+79161234567", source="manual", owner=deal.owner, actor=rep_a)
    with pytest.raises(VisitRefused) as refused:  # the partner's own till is not the owner's
        visit_record(code=deal.code, client_phone="+79161234567", source="api", owner=project_b)
    assert refused.value.code == "unknown_code"
    with pytest.raises(VisitRefused) as refused:  # the partner cannot confirm visits to itself
        visit_record(code=deal.code, client_phone="+79161234567", source="manual", actor=rep_b)
    assert refused.value.code == "not_allowed"


def test_a_viewer_cannot_record_and_a_moderator_can(deal, viewer_a, moderator, director):
    for outsider in (viewer_a, director):
        with pytest.raises(VisitRefused) as refused:
            record(deal, actor=outsider, owner=None)
        assert refused.value.code == "not_allowed"
    assert record(deal, actor=moderator, owner=None, source="import").created


def test_a_client_counts_once_per_lot(deal, rep_a):
    record(deal, actor=rep_a)
    with pytest.raises(VisitRefused) as refused:
        record(deal, phone="8 (916) 123 45 67", actor=rep_a)
    assert refused.value.code == "client_counted"
    assert Visit.objects.count() == 1 and LedgerEntry.objects.count() == 5  # no points spent: no such leg


def test_the_quota_closes_the_lot_and_completes_its_deals(rep_a, rep_b, moderator, project_a, project_b):
    deal = make_deal(
        owner_rep=rep_a, partner_rep=rep_b, moderator=moderator, owner=project_a, partner=project_b, quota=2
    )
    type(deal).objects.filter(pk=deal.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    assert not record(deal, phone="+79160000001", actor=rep_a).quota_reached
    assert record(deal, phone="+79160000002", actor=rep_a).quota_reached
    deal.refresh_from_db()
    deal.lot.refresh_from_db()
    assert deal.status == DealStatus.COMPLETED
    assert (deal.lot.status, deal.lot.close_reason) == (LotStatus.CLOSED, CloseReason.QUOTA)
    with pytest.raises(VisitRefused) as refused:
        record(deal, phone="+79160000003", actor=rep_a)
    assert refused.value.code == "deal_completed"
    # A visit made while the deal ran, reported late, meets the quota.
    with pytest.raises(VisitRefused) as refused:
        record(deal, phone="+79160000004", actor=rep_a, visited_at=deal.ended_at - dt.timedelta(seconds=1))
    assert refused.value.code == "quota_reached"
    assert Visit.objects.filter(lot=deal.lot).count() == 2


def test_a_late_report_of_a_visit_made_while_the_deal_ran_counts(deal, rep_a, rep_b):
    came = timezone.now()
    deal_cancel(deal=deal, actor=rep_a, reason="We stop the campaign.")
    deal.refresh_from_db()
    assert record(deal, actor=rep_a, visited_at=came).created
    with pytest.raises(VisitRefused) as refused:
        record(deal, phone="+79160000009", actor=rep_a)
    assert refused.value.code == "deal_cancelled"


def test_a_paused_lot_takes_no_clients(deal, rep_a):
    lot_pause(lot=deal.lot, actor=rep_a)
    with pytest.raises(VisitRefused) as refused:
        record(deal, actor=rep_a)
    assert refused.value.code == "lot_paused"


def test_the_same_external_id_replays_and_other_data_conflicts(deal, rep_a):
    first = record(deal, actor=rep_a, external_id="till-1", check_amount="100")
    again = record(deal, actor=rep_a, external_id="till-1", check_amount="100.00")
    assert again.visit == first.visit and not again.created
    with pytest.raises(VisitRefused) as refused:
        record(deal, phone="+79160000001", actor=rep_a, external_id="till-1")
    assert refused.value.code == "external_id_conflict"
    assert Visit.objects.count() == 1


def test_the_ledger_refuses_changes():
    entry_qs = LedgerEntry.objects.all()
    with pytest.raises(AppendOnlyError):
        entry_qs.update(amount=0)
    with pytest.raises(AppendOnlyError):
        entry_qs.delete()


def test_a_saved_entry_cannot_be_changed(deal, rep_a):
    record(deal, actor=rep_a)
    entry = LedgerEntry.objects.first()
    entry.amount = Decimal("1")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_a_reversal_brings_every_figure_back_and_frees_the_client(deal, rep_a, moderator):
    visit = record(deal, actor=rep_a, check_amount="700", points_spent=5).visit
    visit_reverse(visit=visit, actor=moderator, reason="The client never came.")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.REVERSED
    assert LedgerEntry.objects.count() == 12
    assert sum(e.amount for e in LedgerEntry.objects.filter(project=deal.partner)) == 0
    assert sum(e.points for e in LedgerEntry.objects.filter(project=deal.owner)) == 0
    day = DealDay.objects.get(deal=deal)
    assert (day.visits, day.reward, day.check_total) == (0, 0, 0)
    assert checks.first_violation() is None
    with pytest.raises(Exception, match="already reversed"):
        visit_reverse(visit=visit, actor=moderator, reason="twice")
    assert record(deal, actor=rep_a).created, "the client may be counted again"
    with pytest.raises(Exception, match="Only Misty staff"):
        visit_reverse(visit=Visit.objects.filter(status="confirmed").get(), actor=rep_a, reason="mine")


def test_check_ledger_finds_a_roll_up_that_drifted(deal, rep_a):
    record(deal, actor=rep_a)
    call_command("check_ledger")
    DealDay.objects.filter(deal=deal).update(visits=5)
    with pytest.raises(CommandError, match="roll-ups equal the raw sums"):
        call_command("check_ledger")


def test_check_ledger_finds_a_visit_without_its_entries(deal, rep_a):
    visit = record(deal, actor=rep_a).visit
    Visit.objects.filter(pk=visit.pk).update(reward=Decimal("301"))
    assert "visit" in checks.first_violation()
    with pytest.raises(CommandError, match="every visit has its entries"):
        call_command("check_ledger")


def test_check_ledger_finds_a_lot_over_its_quota(deal, rep_a):
    record(deal, actor=rep_a)
    record(deal, phone="+79160000001", actor=rep_a)
    type(deal.lot).objects.filter(pk=deal.lot_id).update(quota=1)
    assert "over its quota" in " ".join(checks.lots_over_quota())


@pytest.mark.postgres
def test_postgres_refuses_to_rewrite_or_unbalance_the_ledger(deal, rep_a):
    from django.db import DatabaseError, connection, transaction

    from tests.conftest import need

    need(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL)")
    record(deal, actor=rep_a)
    for statement in ("UPDATE visits_ledgerentry SET amount = 0", "DELETE FROM visits_ledgerentry"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    visit = Visit.objects.get()
    with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
        LedgerEntry.objects.create(kind=EntryKind.REWARD, project=deal.partner, amount=1, day=visit.day, visit=visit)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_visit_costs_a_fixed_number_of_queries(deal, rep_a, django_assert_max_num_queries):
    """The throughput budget: one visit is a handful of statements, whatever the lot's history."""
    record(deal, phone="+79160000001", actor=None, source="api")
    with django_assert_max_num_queries(17) as first:
        record(deal, phone="+79160000002", actor=None, source="api", external_id="x-2")
    for n in range(3, 13):
        record(deal, phone=f"+7916000{n:04d}", actor=None, source="api")
    with django_assert_max_num_queries(17) as later:
        record(deal, phone="+79160000099", actor=None, source="api", external_id="x-99")
    assert len(first.captured_queries) == len(later.captured_queries)
