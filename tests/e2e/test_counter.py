"""Issue 10 end to end: the partner downloads the deal's referral cards; at the owner's till, on a 375 px
phone, the manager types the code as it is read aloud ("tb3 us7"), the client's phone, the check — one tap,
one line, and the form is ready for the next client; a second try of the same client is refused in words.
Both deal pages and both dashboards then show the visit, and the staff's flow matrix shows the pair."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from offers import codes
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_phone_layout import sideways_overflow
from tests.visits.conftest import make_deal
from visits.models import Visit


@pytest.fixture
def deal(rep_a, rep_b, moderator, project_a, project_b):
    return make_deal(owner_rep=rep_a, partner_rep=rep_b, moderator=moderator, owner=project_a, partner=project_b)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_partner_prints_the_card_and_the_owner_confirms_a_visit_on_a_phone(
    page,
    new_context,
    live_server,
    login,
    output_path,
    deal,
    rep_a,
    rep_b,
    admin,
    project_a,
    project_b,
    persona_password,
):
    os.makedirs(output_path, exist_ok=True)
    code = codes.display(deal.code)

    # The partner, on a desktop: the deal page offers the cards; the download is a PDF.
    b = new_context(viewport=DESKTOP).new_page()
    login(b, rep_b.email, password=persona_password)
    b.goto(live_server.url + reverse("cabinet:deal_detail", kwargs={"project_slug": project_b.slug, "code": deal.code}))
    with b.expect_download() as download:
        b.get_by_test_id("deal-print-cards").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(4) == b"%PDF"
    assert download.value.suggested_filename == f"cards-{code}.pdf"

    # The owner's manager at the till, on a phone: the menu leads to the counter; the code field has focus.
    a = page
    login(a, rep_a.email, password=persona_password)
    a.goto(f"{live_server.url}/cabinet/{project_a.slug}/")
    a.locator(".navbar-toggler").click()  # the phone's menu
    a.get_by_test_id("nav-counter").click()
    expect(a.locator("#id_code")).to_be_focused()
    a.keyboard.type(code.lower().replace("-", " "))
    a.locator("#id_phone").fill("8 916 123-45-67")
    a.locator("#id_check_amount").fill("2 400")
    a.get_by_test_id("counter-submit").click()
    expect(a.locator(".alert-success")).to_contain_text("Beta Barbershop")
    expect(a.locator("#id_code")).to_have_value("")
    expect(a.locator("#id_code")).to_be_focused()
    expect(a.get_by_test_id("counter-recent")).to_contain_text("Beta Barbershop")
    assert sideways_overflow(a) <= 0
    a.screenshot(path=os.path.join(output_path, "counter-confirmed.png"), full_page=True)

    # The same client again: refused in words, what was typed stays.
    a.locator("#id_code").fill(code)
    a.locator("#id_phone").fill("+7 916 123 45 67")
    a.get_by_test_id("counter-submit").click()
    expect(a.get_by_test_id("counter-error-phone")).to_contain_text("already")
    expect(a.locator("#id_phone")).to_have_value("+7 916 123 45 67")
    assert Visit.objects.count() == 1

    # Both deal pages show the visit.
    for who, project in ((a, project_a), (b, project_b)):
        who.goto(
            live_server.url + reverse("cabinet:deal_detail", kwargs={"project_slug": project.slug, "code": deal.code})
        )
        expect(who.get_by_test_id("deal-visits-count")).to_have_text("1")

    # Both dashboards (the cabinet's home, the default period): the owner received a client, the partner brought one.
    for who, project, key in ((a, project_a, "clients_received"), (b, project_b, "clients_brought")):
        who.goto(live_server.url + reverse("cabinet:dashboard", kwargs={"project_slug": project.slug}))
        expect(who.get_by_test_id(f"figure-{key}")).to_have_text("1")
    expect(a.get_by_test_id("deal-row")).to_contain_text(deal.lot.title)
    expect(b.get_by_test_id("counterpart-row")).to_contain_text(project_a.name)
    assert sideways_overflow(a) <= 0

    # Staff: the flow matrix shows the pair, partner → owner, one client.
    s = new_context(viewport=DESKTOP).new_page()
    login(s, admin.email, password=persona_password)
    s.goto(live_server.url + reverse("staff:analytics"))
    s.get_by_test_id("flows-link").click()
    pair = s.get_by_test_id("pair-row")
    expect(pair).to_have_count(1)
    expect(pair.locator("td").nth(0)).to_have_text(project_b.name)
    expect(pair.locator("td").nth(1)).to_have_text(project_a.name)
    expect(pair.locator("td").nth(2)).to_have_text("1")
