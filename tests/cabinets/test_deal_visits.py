"""The deal page shows its referred visits and totals (both sides and staff), and either side prints the
deal's referral cards or poster: a PDF with the code and its QR code."""

import pytest
from django.urls import reverse

from offers import codes
from tests.pdf_text import texts
from tests.visits.conftest import make_deal
from visits.services import visit_record, visit_reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(rep_a, rep_b, moderator, project_a, project_b):
    return make_deal(owner_rep=rep_a, partner_rep=rep_b, moderator=moderator, owner=project_a, partner=project_b)


def record(deal, n, actor):
    return visit_record(
        code=deal.code,
        client_phone=f"+7916000{n:04d}",
        source="manual",
        actor=actor,
        owner=deal.owner,
        check_amount="1000",
    )


def page_of(project, deal):
    return reverse("cabinet:deal_detail", kwargs={"project_slug": project.slug, "code": deal.code})


def test_both_sides_see_the_visits_and_totals_net_of_a_reversal(
    deal, rep_a, moderator, client_as, project_a, project_b
):
    first = record(deal, 1, rep_a).visit
    record(deal, 2, rep_a)
    visit_reverse(visit=first, actor=moderator, reason="a mistake")
    for persona, project in (("rep_a", project_a), ("rep_b", project_b)):
        text = client_as(persona).get(page_of(project, deal)).content.decode()
        assert 'data-testid="deal-visits-count">1<' in text, persona
        assert "text-decoration-line-through" in text, "the reversed visit is shown struck through"
    text = client_as("moderator").get(reverse("staff:deal_detail", kwargs={"code": deal.code})).content.decode()
    assert 'data-testid="deal-visits-count">1<' in text


def test_the_deal_page_budget_is_flat_in_visits(deal, rep_a, client_as, project_a, page_queries):
    record(deal, 1, rep_a)
    page_queries(
        client_as("rep_a"), page_of(project_a, deal), grow=lambda: [record(deal, n, rep_a) for n in range(2, 30)]
    )


@pytest.mark.parametrize("kind", ["cards", "poster"])
def test_either_side_prints_the_card_with_the_code(deal, client_as, project_a, project_b, kind):
    for persona, project in (("rep_b", project_b), ("rep_a", project_a)):
        url = reverse("cabinet:deal_print", kwargs={"project_slug": project.slug, "code": deal.code, "kind": kind})
        response = client_as(persona).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response.content.startswith(b"%PDF")
        assert codes.display(deal.code) in "\n".join(texts(response.content))


def test_an_unknown_kind_and_a_stranger_get_nothing(deal, client_as, project_a):
    url = reverse("cabinet:deal_print", kwargs={"project_slug": project_a.slug, "code": deal.code, "kind": "flyer"})
    assert client_as("rep_a").get(url).status_code == 404
    stranger = reverse("cabinet:deal_print", kwargs={"project_slug": "beta", "code": "AAAAAA", "kind": "cards"})
    assert client_as("rep_b").get(stranger).status_code == 404
