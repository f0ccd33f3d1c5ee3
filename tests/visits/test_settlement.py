"""Settlement netting: the pure netting's properties (hypothesis) and the month of a real ledger — rewards both
ways, payments, a reversal — on the pages of both sides and of staff, within the query budget."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from offers import codes
from tests.visits.conftest import make_deal
from visits.analytics import portal_today
from visits.payments import payment_record
from visits.services import visit_record, visit_reverse
from visits.settlement import ZERO, month_bounds, net_pairs, positions, previous_month, settlement

PROJECTS = st.integers(min_value=1, max_value=6)
MONEY = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
FLOWS = st.dictionaries(st.tuples(PROJECTS, PROJECTS).filter(lambda p: p[0] != p[1]), MONEY, max_size=20)


@given(owed=FLOWS, paid=FLOWS)
def test_netting_is_antisymmetric_and_positions_are_sums_of_nets_adding_to_zero(owed, paid):
    pairs = net_pairs(owed, paid)
    for (a, b), pair in pairs.items():
        assert a < b
        assert pair.pays(a, b) == -pair.pays(b, a)
        # the net is what a owes b less what b owes a, each less what it already paid
        expected = (owed.get((a, b), ZERO) - paid.get((a, b), ZERO)) - (owed.get((b, a), ZERO) - paid.get((b, a), ZERO))
        assert pair.net == expected
    balance = positions(pairs)
    assert sum(balance.values(), ZERO) == ZERO
    for project, position in balance.items():
        assert position == sum(
            (p.pays(o, project) for (a, b), p in pairs.items() for o in (a, b) if project in (a, b) and o != project),
            ZERO,
        )


@given(owed=FLOWS)
def test_paying_exactly_what_is_owed_settles_every_pair(owed):
    pairs = net_pairs(owed, owed)
    assert all(pair.net == ZERO for pair in pairs.values())
    assert all(position == ZERO for position in positions(pairs).values())


def test_a_project_owes_nothing_to_itself():
    with pytest.raises(ValueError):
        net_pairs({(1, 1): Decimal(1)}, {})


def test_months():
    assert previous_month(dt.date(2026, 3, 15)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert previous_month(dt.date(2026, 1, 1)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert month_bounds(dt.date(2024, 2, 10)) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))


@pytest.fixture
def month(db, rep_a, rep_b, moderator, admin, project_a, project_b):
    """This month: B sent A three clients (300 ₽ each), A sent B one (lot reward 500 ₽); A paid B 200 ₽ for it;
    one of B's clients at A is reversed. So A owes B 600, B owes A 500; A paid 200 → A pays B… 600 − 200 − 500 < 0:
    B pays A 100."""
    to_a = make_deal(owner_rep=rep_a, partner_rep=rep_b, moderator=moderator, owner=project_a, partner=project_b)
    to_b = make_deal(
        owner_rep=rep_b,
        partner_rep=rep_a,
        moderator=moderator,
        owner=project_b,
        partner=project_a,
        reward=Decimal("500"),
    )
    visits = [
        visit_record(code=codes.display(to_a.code), source="manual", owner=project_a, client_phone=f"+7916000000{n}")
        for n in range(3)
    ]
    visit_record(code=codes.display(to_b.code), source="manual", owner=project_b, client_phone="+79160000009")
    visit_reverse(visit=visits[0].visit, actor=admin, reason="not theirs")
    today = portal_today()
    start, end = month_bounds(today)
    payment_record(
        payer=project_a, payee=project_b, amount="200", paid_on=today, period_from=start, period_to=end, actor=admin
    )
    payment_record(payer=project_a, payee=None, amount="10", paid_on=today, actor=admin)
    return start, end


def test_the_month_nets_rewards_payments_and_reversals(month, project_a, project_b):
    start, end = month
    result = settlement(start=start, end=end)
    pair = result.pairs[(min(project_a.pk, project_b.pk), max(project_a.pk, project_b.pk))]
    assert pair.pays(project_b.pk, project_a.pk) == Decimal("100.00")
    assert result.positions == {project_a.pk: Decimal("100.00"), project_b.pk: Decimal("-100.00")}
    (line,) = result.lines_for(project_a.pk)
    assert (line.they_owe, line.we_owe, line.we_paid, line.they_paid, line.net) == (
        Decimal("500.00"),
        Decimal("600.00"),
        Decimal("200.00"),
        ZERO,
        Decimal("100.00"),
    )
    assert result.commission_paid[project_a.pk] == Decimal("10")
    # another month has nothing; one project's view has only its pairs
    assert not settlement(start=dt.date(2020, 1, 1), end=dt.date(2020, 1, 31)).pairs
    assert settlement(start=start, end=end, project=project_b).lines_for(project_b.pk)[0].net == Decimal("-100.00")


def test_both_sides_and_staff_see_the_same_amount_within_the_query_budget(
    month, client_as, page_queries, project_a, project_b, rep_a, rep_b, moderator
):
    query = {"month": timezone.localdate().strftime("%Y-%m")}
    page = page_queries(client_as("rep_a"), reverse("cabinet:settlement", args=["alpha"]), data=query)
    html = page.content.decode()
    assert "Beta Barbershop" in html and "they pay us 100.00 ₽" in html
    page = page_queries(client_as("rep_b"), reverse("cabinet:settlement", args=["beta"]), data=query)
    assert "we pay 100.00 ₽" in page.content.decode()
    page = page_queries(client_as("director"), reverse("staff:settlement"), data=query)
    assert page.context["transfers"] == [("Beta Barbershop", "Alpha Lounge", Decimal("100.00"))]
    # a third pair adds rows, not queries
    from tests.factories import MembershipFactory, ProjectFactory, UserFactory

    counter = iter(range(100))

    def grow():
        for n in (next(counter) for _ in range(3)):
            other = ProjectFactory(name=f"Gamma {n}", slug=f"gamma-{n}")
            rep = UserFactory(email=f"rep@gamma-{n}.example")
            MembershipFactory(user=rep, project=other)
            deal = make_deal(owner_rep=rep_a, partner_rep=rep, moderator=moderator, owner=project_a, partner=other)
            visit_record(code=codes.display(deal.code), source="manual", owner=project_a, client_phone=f"+7917{n:07d}")

    page_queries(client_as("rep_a"), reverse("cabinet:settlement", args=["alpha"]), data=query, grow=grow)
    page_queries(client_as("director"), reverse("staff:settlement"), data=query, grow=grow)


def test_an_invalid_or_future_month_shows_its_error_and_last_month(db, client_as, project_a):
    future = (portal_today() + dt.timedelta(days=40)).strftime("%Y-%m")
    for value in ("bogus", future):
        page = client_as("rep_a").get(reverse("cabinet:settlement", args=["alpha"]), {"month": value})
        assert page.status_code == 200 and 'data-testid="month-error"' in page.content.decode()
        assert (page.context["start"], page.context["end"]) == previous_month(portal_today())


def test_another_projects_settlement_is_not_reachable(db, client_as, project_b):
    assert client_as("rep_a").get(reverse("cabinet:settlement", args=["beta"])).status_code == 404


def test_amounts_in_words():
    from visits.invoices import rubles_in_words

    assert rubles_in_words(Decimal("12345.67")) == "Двенадцать тысяч триста сорок пять рублей 67 копеек"
    assert rubles_in_words(Decimal("1")) == "Один рубль 00 копеек"
    assert rubles_in_words(Decimal("21.01")) == "Двадцать один рубль 01 копейка"
    assert rubles_in_words(Decimal("1002.03")) == "Одна тысяча два рубля 03 копейки"
    assert rubles_in_words(Decimal("111.12")) == "Сто одиннадцать рублей 12 копеек"


def test_the_payer_downloads_the_invoice_and_the_receiver_gets_none(month, client_as, project_a, project_b):
    from visits.invoices import invoice_get, invoice_html

    start, end = month
    project_a.legal_name, project_a.inn = "ООО «Альфа»", "7707083893"
    project_a.save()
    query = {"month": start.strftime("%Y-%m")}
    page = client_as("rep_b").get(reverse("cabinet:settlement_invoice", args=["beta", "alpha"]), query)
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    assert page.content[:4] == b"%PDF" and "attachment" in page["Content-Disposition"]
    assert page["X-Content-Type-Options"] == "nosniff"
    html = invoice_html(invoice_get(payer=project_b, payee=project_a, start=start, end=end), issued=end)
    assert "ООО «Альфа»" in html and "7707083893" in html and "Сто рублей 00 копеек" in html
    assert "100,00" in html  # Russian figures whatever the reader's language
    # the side that receives has nothing to pay; a project that is no counterpart neither
    assert (
        client_as("rep_a").get(reverse("cabinet:settlement_invoice", args=["alpha", "beta"]), query).status_code == 404
    )
    assert (
        client_as("rep_a").get(reverse("cabinet:settlement_invoice", args=["beta", "alpha"]), query).status_code == 404
    )
    assert (
        client_as("rep_b").get(reverse("cabinet:settlement_invoice", args=["beta", "nobody"]), query).status_code == 404
    )
    assert (
        'data-testid="settlement-invoice"'
        in client_as("rep_b").get(reverse("cabinet:settlement", args=["beta"]), query).content.decode()
    )
