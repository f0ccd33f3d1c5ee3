"""Visits and ledger pages: a cabinet sees only its own entries and visits, disputes from its visits list, staff
decide on the visit's card; lists filter and export; every page within the query budget, flat in rows."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from offers import codes
from tests.visits.conftest import make_deal
from visits.models import Dispute, DisputeStatus, VisitStatus
from visits.payments import payment_record
from visits.services import visit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(rep_a, rep_b, moderator, project_a, project_b):
    """Project B brings clients to project A's lot (reward 300 ₽)."""
    return make_deal(owner_rep=rep_a, partner_rep=rep_b, moderator=moderator, owner=project_a, partner=project_b)


def record(deal, n):
    return visit_record(
        code=codes.display(deal.code), source="manual", owner=deal.owner, client_phone=f"+7916{n:07d}"
    ).visit


def tables(html: str) -> str:
    """The page's tables only (the filter's project select names every project of the catalog)."""
    return "".join(re.findall(r"<table.*?</table>", html, flags=re.S))


@pytest.fixture
def third(rep_a, moderator):
    """Project C and its representative: a pair that project B must never see."""
    from tests.factories import MembershipFactory, ProjectFactory, UserFactory

    project = ProjectFactory(name="Gamma Grooming", slug="gamma")
    rep = UserFactory(email="rep@gamma.example")
    MembershipFactory(user=rep, project=project)
    return project, rep


def test_a_cabinet_ledger_shows_its_own_entries_and_balances_only(client_as, deal, rep_a, moderator, project_a, third):
    gamma, gamma_rep = third
    other = make_deal(owner_rep=rep_a, partner_rep=gamma_rep, moderator=moderator, owner=project_a, partner=gamma)
    record(deal, 1)
    record(other, 2)

    page = tables(client_as("rep_b").get(reverse("cabinet:ledger", args=["beta"])).content.decode())

    assert "Alpha Lounge" in page and "300" in page
    assert "Gamma Grooming" not in page, "another pair's entries never show"
    owner_page = client_as("rep_a").get(reverse("cabinet:ledger", args=["alpha"]), HTTP_ACCEPT_LANGUAGE="en")
    body = tables(owner_page.content.decode())
    assert "Gamma Grooming" in body and "Misty" in body
    export = client_as("rep_b").get(reverse("cabinet:ledger_export", args=["beta"]), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(values_only=True))
    assert len(rows) == 2 and "Alpha Lounge" in rows[1] and all("Gamma" not in str(v) for v in rows[1])


def test_the_partner_disputes_from_its_visits_list_and_staff_uphold_on_the_card(client_as, deal, moderator):
    visit = record(deal, 1)
    rep_b = client_as("rep_b")
    listing = rep_b.get(reverse("cabinet:visits", args=["beta"])).content.decode()
    assert f"/cabinet/beta/visits/{visit.pk}/dispute/" in listing

    response = rep_b.post(reverse("cabinet:visit_dispute", args=["beta", visit.pk]), {"reason": "Not our client"})
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert dispute.opened_by_project == deal.partner
    assert 'data-testid="visit-disputed"' in rep_b.get(reverse("cabinet:visits", args=["beta"])).content.decode()

    staff = client_as("moderator")
    card = staff.get(reverse("staff:visit_detail", args=[visit.pk])).content.decode()
    assert 'data-testid="resolve-form"' in card and "Not our client" in card
    staff.post(reverse("staff:dispute_resolve", args=[dispute.pk]), {"decision": "uphold", "resolution": "Agreed"})
    visit.refresh_from_db()
    dispute.refresh_from_db()
    assert visit.status == VisitStatus.REVERSED and dispute.status == DisputeStatus.UPHELD
    assert (
        "reversal"
        in staff.get(reverse("staff:visit_detail", args=[visit.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_another_projects_visit_cannot_be_disputed(client_as, deal, third, rep_a, moderator, project_a):
    gamma, gamma_rep = third
    other = make_deal(owner_rep=rep_a, partner_rep=gamma_rep, moderator=moderator, owner=project_a, partner=gamma)
    visit = record(other, 1)
    response = client_as("rep_b").get(reverse("cabinet:visit_dispute", args=["beta", visit.pk]))
    assert response.status_code == 404


def test_staff_visits_filter_and_export(client_as, deal, project_b):
    record(deal, 1)
    record(deal, 2)
    staff = client_as("director")
    assert (
        staff.get(reverse("staff:visits"), {"partner": project_b.pk}).content.decode().count('data-testid="visit-row"')
        == 2
    )
    assert (
        staff.get(reverse("staff:visits"), {"owner": project_b.pk}).content.decode().count('data-testid="visit-row"')
        == 0
    )
    assert (
        staff.get(reverse("staff:visits"), {"day_from": "nonsense"}).content.decode().count('data-testid="visit-row"')
        == 0
    )
    export = staff.get(reverse("staff:visits_export"), {"format": "csv", "status": "confirmed"})
    assert b"".join(export.streaming_content).decode("utf-8-sig").count("\n") == 3


def test_pages_stay_within_the_query_budget(client_as, page_queries, deal, moderator, admin, project_a, project_b):
    first = record(deal, 0)
    Dispute.objects.create(visit=first, opened_by_project=project_b, reason="x")
    payment_record(payer=project_a, payee=project_b, amount=1, paid_on=dt.date.today(), actor=admin)

    counter = iter(range(1, 1000))

    def grow():
        for _ in range(12):
            visit = record(deal, next(counter))
        Dispute.objects.create(visit=visit, opened_by_project=project_a, reason="y")
        payment_record(payer=project_a, payee=None, amount=5, paid_on=dt.date.today(), actor=admin)

    page_queries(client_as("rep_a"), reverse("cabinet:ledger", args=["alpha"]), grow=grow)
    page_queries(client_as("rep_b"), reverse("cabinet:visits", args=["beta"]), grow=grow)
    page_queries(client_as("rep_b"), reverse("cabinet:visit_dispute", args=["beta", first.pk]))
    page_queries(client_as("director"), reverse("staff:visits"), grow=grow)
    page_queries(client_as("director"), reverse("staff:visit_detail", args=[first.pk]))
    page_queries(client_as("director"), reverse("staff:disputes"), grow=grow)
    page_queries(client_as("director"), reverse("staff:project_ledger", args=["alpha"]), grow=grow)
