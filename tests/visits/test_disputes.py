"""Disputes: either side disputes a confirmed visit with a reason, one open at a time; staff uphold (the visit is
reversed by compensating entries) or reject (it stays); both sides and staff are told; everything journaled."""

import pytest
from django.db.models import Sum
from django.utils import translation

from auditlog.models import AuditEvent
from notifications.models import Notification
from offers import codes
from portal.exceptions import ApplicationError
from visits import checks
from visits.disputes import dispute_open, dispute_resolve
from visits.models import DisputeStatus, LedgerEntry, VisitStatus
from visits.services import visit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(deal):
    code = codes.display(deal.code)
    return visit_record(code=code, source="manual", owner=deal.owner, client_phone="+79161234567").visit


def test_the_partner_disputes_a_visit_and_the_owner_and_staff_are_told(visit, rep_a, rep_b, moderator, project_b):
    dispute = dispute_open(visit=visit, project=project_b, actor=rep_b, reason="Our client never came.")

    assert dispute.status == DisputeStatus.OPEN and dispute.opened_by == rep_b
    told = dict(Notification.objects.filter(event="visits.dispute.opened").values_list("recipient", "link"))
    assert told == {rep_a.pk: "/cabinet/alpha/visits/", moderator.pk: f"/staff/visits/{visit.pk}/"}
    note = Notification.objects.get(recipient=rep_a, event="visits.dispute.opened")
    assert "Beta Barbershop" in note.body and "Our client never came." in note.body
    assert AuditEvent.objects.filter(event="visits.dispute.opened", project=project_b).count() == 1

    with pytest.raises(ApplicationError, match="already disputed"):
        dispute_open(visit=visit, project=visit.owner, actor=rep_a, reason="Twice")


def test_only_a_manager_of_a_side_disputes(visit, viewer_a, rep_a, project_a, project_b, admin):
    with pytest.raises(ApplicationError, match="manager"):
        dispute_open(visit=visit, project=project_a, actor=viewer_a, reason="No")
    with pytest.raises(ApplicationError, match="manager"):
        dispute_open(visit=visit, project=project_b, actor=rep_a, reason="Not my project")
    with pytest.raises(ApplicationError, match="Say why"):
        dispute_open(visit=visit, project=project_a, actor=rep_a, reason="   ")


def test_upholding_reverses_the_visit_with_compensating_entries(visit, rep_a, rep_b, moderator, project_b):
    before = LedgerEntry.objects.count()
    dispute = dispute_open(visit=visit, project=project_b, actor=rep_b, reason="Test visit by our staff")

    dispute_resolve(dispute=dispute, actor=moderator, uphold=True, resolution="Confirmed by the till's log.")

    visit.refresh_from_db()
    dispute.refresh_from_db()
    assert visit.status == VisitStatus.REVERSED and dispute.status == DisputeStatus.UPHELD
    assert dispute.resolved_by == moderator and dispute.resolved_at is not None
    assert LedgerEntry.objects.count() == 2 * before, "the originals stay; opposite entries are added"
    assert LedgerEntry.objects.filter(visit=visit).aggregate(s=Sum("amount"))["s"] == 0
    assert checks.first_violation() is None
    resolved = set(Notification.objects.filter(event="visits.dispute.resolved").values_list("recipient", flat=True))
    assert resolved == {rep_a.pk, rep_b.pk}
    with translation.override("en"):
        assert "reversed" in Notification.objects.filter(event="visits.dispute.resolved").first().title
    assert AuditEvent.objects.filter(event="visits.dispute.upheld").count() == 1
    assert AuditEvent.objects.filter(event="visits.visit.reversed").count() == 1
    with pytest.raises(ApplicationError, match="already resolved"):
        dispute_resolve(dispute=dispute, actor=moderator, uphold=False)
    with pytest.raises(ApplicationError, match="already reversed"):
        dispute_open(visit=visit, project=project_b, actor=rep_b, reason="Again")


def test_rejecting_leaves_the_visit_and_a_new_dispute_may_follow(visit, rep_b, moderator, director, project_b):
    dispute = dispute_open(visit=visit, project=project_b, actor=rep_b, reason="Hm")
    with pytest.raises(ApplicationError, match="resolve"):
        dispute_resolve(dispute=dispute, actor=director, uphold=True)

    dispute_resolve(dispute=dispute, actor=moderator, uphold=False)

    visit.refresh_from_db()
    assert visit.status == VisitStatus.CONFIRMED
    assert AuditEvent.objects.filter(event="visits.dispute.rejected").count() == 1
    assert dispute_open(visit=visit, project=project_b, actor=rep_b, reason="New facts").status == DisputeStatus.OPEN
