"""The counter page: a cashier confirms a referred visit in one form, sees one clear line, and the page is
ready for the next client; every refusal is shown on its field and keeps what was typed."""

import pytest
from django.urls import reverse

from offers import codes
from offers.services import lot_pause
from tests.visits.conftest import make_deal
from visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(rep_a, rep_b, moderator, project_a, project_b):
    return make_deal(owner_rep=rep_a, partner_rep=rep_b, moderator=moderator, owner=project_a, partner=project_b)


def url(project):
    return reverse("cabinet:counter", kwargs={"project_slug": project.slug})


def post(client, project, **data):
    values = {"code": "", "phone": "", "card": "", "check_amount": "", "points_spent": ""} | data
    return client.post(url(project), values, follow=True)


def test_a_visit_is_confirmed_with_one_line_and_the_form_is_empty_again(deal, client_as, project_a):
    client = client_as("rep_a")
    page = client.get(url(project_a))
    assert page.status_code == 200 and b"autofocus" in page.content
    typed = codes.display(deal.code).lower().replace("-", " ")  # "abc 789": any case, spaces
    page = post(client, project_a, code=typed, phone="8 916 123 45 67", check_amount="2 500,50", points_spent="100")
    assert page.redirect_chain and page.redirect_chain[-1][0] == url(project_a)
    text = page.content.decode()
    assert "Beta Barbershop" in text and "300" in text
    assert 'value="' + typed not in text, "an empty form for the next client"
    visit = Visit.objects.get()
    assert (visit.source, visit.owner, visit.points_spent, str(visit.check_amount)) == (
        "manual",
        project_a,
        100,
        "2500.50",
    )
    assert 'data-testid="counter-recent"' in text


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"code": "ZZZ-ZZZ", "phone": "+79161234567"}, "code", "No deal has this code"),
        ({"code": "{code}", "phone": "123"}, "phone", "not a phone number"),
        ({"code": "{code}", "phone": ""}, "phone", "phone number"),
        ({"code": "{code}", "phone": "+79161234567", "check_amount": "-5"}, "check_amount", "check amount"),
        ({"code": "{code}", "phone": "+79161234567", "points_spent": "many"}, "points_spent", "whole number"),
        ({"code": "{code}", "phone": "+79161234567", "card": "AB1234"}, "card", "not both"),
    ],
)
def test_each_refusal_is_on_its_field_and_keeps_what_was_typed(deal, client_as, project_a, data, field, words):
    client = client_as("rep_a")
    data = {key: value.replace("{code}", deal.code) for key, value in data.items()}
    page = post(client, project_a, **data)
    text = page.content.decode()
    assert page.status_code == 200 and not page.redirect_chain
    assert f'data-testid="counter-error-{field}"' in text and words in text
    assert f'value="{data["code"]}"' in text, "what was typed stays"
    assert not Visit.objects.exists()


def test_a_client_counted_twice_and_a_paused_lot_are_said_plainly(deal, client_as, project_a, rep_a):
    client = client_as("rep_a")
    post(client, project_a, code=deal.code, phone="+79161234567")
    page = post(client, project_a, code=deal.code, phone="8 916 123-45-67")
    assert "already been counted" in page.content.decode()
    lot_pause(lot=deal.lot, actor=rep_a)
    page = post(client, project_a, code=deal.code, phone="+79160000000")
    assert "The lot is paused" in page.content.decode()
    assert Visit.objects.count() == 1


def test_the_partner_cannot_confirm_visits_to_itself(deal, client_as, project_b):
    """Project B holds the card's code, but the deal is project A's: at B's counter the code is no code."""
    page = post(client_as("rep_b"), project_b, code=deal.code, phone="+79161234567")
    assert "No deal has this code" in page.content.decode()
    assert not Visit.objects.exists()


def test_the_lot_filled_at_the_counter_says_so(rep_a, rep_b, moderator, project_a, project_b, client_as):
    deal = make_deal(
        owner_rep=rep_a, partner_rep=rep_b, moderator=moderator, owner=project_a, partner=project_b, quota=1
    )
    page = post(client_as("rep_a"), project_a, code=deal.code, phone="+79161234567")
    assert "the quota is full and the lot is closed" in page.content.decode()


def test_the_counter_page_keeps_its_query_budget(deal, client_as, project_a, page_queries, rep_a):
    from visits.services import visit_record

    def record(n):
        visit_record(code=deal.code, client_phone=f"+7916000{n:04d}", source="manual", actor=rep_a, owner=project_a)

    record(1)
    page_queries(client_as("rep_a"), url(project_a), grow=lambda: [record(n) for n in range(2, 9)])
