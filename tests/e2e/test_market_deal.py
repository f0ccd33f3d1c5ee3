"""The marketplace end to end, in two browsers: rep B finds project A's lot in the marketplace and responds;
rep A accepts on the responses page; both write in the deal's thread, A with a file that B downloads; A
completes the deal. A screenshot
of each step is kept in the test's output folder (pytest-playwright's `--output`, test-results/)."""

import os
import re

import pytest
from playwright.sync_api import expect

from offers import services
from offers.models import Deal, DealStatus
from tests.e2e.conftest import DESKTOP, PHONE
from tests.offers.conftest import PDF_BYTES, lot_terms


@pytest.fixture
def lot_of_a(project_a, rep_a, moderator):
    lot = services.lot_create(project=project_a, actor=rep_a, data=lot_terms(title="Вечер кальяна для новых гостей"))
    services.lot_submit(lot=lot, actor=rep_a)
    return services.lot_approve(lot=lot, actor=moderator)


@pytest.mark.django_db(transaction=True)
def test_a_partner_responds_the_owner_accepts_they_talk_and_the_deal_completes(
    page, new_context, live_server, login, output_path, lot_of_a, rep_a, rep_b, project_b, persona_password
):
    os.makedirs(output_path, exist_ok=True)
    shots = iter(range(1, 100))

    def shot(where, name):
        where.screenshot(path=os.path.join(output_path, f"{next(shots):02d}-{name}.png"), full_page=True)

    # Rep B: the marketplace, through the menu; the search finds A's lot.
    b = page
    login(b, rep_b.email, password=persona_password)
    b.goto(f"{live_server.url}/cabinet/{project_b.slug}/")
    b.get_by_test_id("nav-market-menu").click()
    b.get_by_test_id("nav-market").click()
    b.get_by_role("searchbox").fill("КАЛЬЯНА")
    with b.expect_navigation():
        b.get_by_role("searchbox").press("Enter")
    expect(b.get_by_test_id("market-card")).to_have_count(1)
    expect(b.get_by_test_id("market-card")).to_contain_text("Alpha Lounge")
    shot(b, "b-market")
    b.get_by_role("link", name="Вечер кальяна для новых гостей").click()
    expect(b.get_by_test_id("market-lot-title")).to_have_text("Вечер кальяна для новых гостей")

    # A response with a mistake first: the error, and what was typed is kept.
    form = b.get_by_test_id("response-form")
    form.locator("input[name='expected_reach']").fill("3000")
    b.get_by_test_id("response-submit").click()
    expect(b.get_by_test_id("response-form")).to_contain_text("Say how and where you will advertise the lot.")
    expect(b.locator("input[name='expected_reach']")).to_have_value("3000")
    b.locator("textarea[name='channels']").fill("Постер у кассы и сторис в нашем Instagram")
    b.get_by_test_id("response-submit").click()
    expect(b.get_by_test_id("market-lot-pending")).to_contain_text("Постер у кассы")
    shot(b, "b-responded")

    # Rep A, in a browser of their own: the response waits on the responses page; accept it.
    a = new_context(viewport=DESKTOP).new_page()
    login(a, rep_a.email, password=persona_password)
    a.goto(f"{live_server.url}/cabinet/{rep_a.memberships.get().project.slug}/")
    a.get_by_test_id("nav-market-menu").click()
    a.get_by_test_id("nav-responses").click()
    row = a.get_by_test_id("response-row").filter(has_text="Beta Barbershop")
    expect(row).to_contain_text("To your lot")
    shot(a, "a-responses")
    row.get_by_test_id("response-accept").click()
    expect(a.get_by_test_id("deal-status")).to_have_text("Active")
    deal = Deal.objects.get()
    code_shown = f"{deal.code[:3]}-{deal.code[3:]}"
    expect(a.get_by_test_id("deal-code")).to_have_text(code_shown)
    a.locator("textarea[name='body']").fill("Добро пожаловать! Код для гостей — на постере.")
    a.locator("input[name='files']").set_input_files(
        [{"name": "Постер.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    a.get_by_test_id("deal-message-send").click()
    expect(a.get_by_test_id("deal-message")).to_have_count(1)
    expect(a.get_by_test_id("deal-message").get_by_test_id("attachment-link")).to_have_text("Постер.pdf")
    shot(a, "a-deal")

    # Rep B: the deal with one unread message; the thread; a reply.
    b.get_by_test_id("nav-market-menu").click()
    b.get_by_test_id("nav-deals").click()
    deal_row = b.get_by_test_id("deal-row").filter(has_text=code_shown)
    expect(deal_row).to_contain_text("You are the partner")
    expect(deal_row.get_by_test_id("deal-unread")).to_contain_text("1")
    shot(b, "b-deals")
    deal_row.get_by_test_id("deal-link").click()
    expect(b.get_by_test_id("deal-message")).to_contain_text("Добро пожаловать!")
    expect(b.get_by_test_id("deal-message")).to_contain_text("Alpha Lounge")
    # The file A sent: a download, never a page.
    with b.expect_download() as download_info:
        b.get_by_test_id("deal-message").get_by_test_id("attachment-link").click()
    download = download_info.value
    assert download.suggested_filename == "Постер.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF_BYTES
    b.locator("textarea[name='body']").fill("Постеры висят с понедельника.")
    b.get_by_test_id("deal-message-send").click()
    expect(b.get_by_test_id("deal-message")).to_have_count(2)
    b.get_by_test_id("nav-market-menu").click()
    b.get_by_test_id("nav-deals").click()
    expect(b.get_by_test_id("deal-unread")).to_have_count(0)

    # Rep A: the reply, oldest first; complete the deal.
    a.reload()
    expect(a.get_by_test_id("deal-message").nth(1)).to_contain_text("Постеры висят")
    expect(a.get_by_test_id("deal-message").nth(1)).to_contain_text("Beta Barbershop")
    a.get_by_test_id("deal-complete").click()
    expect(a.get_by_test_id("deal-status")).to_have_text("Completed")
    expect(a.get_by_test_id("deal-complete")).to_have_count(0)
    shot(a, "a-completed")
    deal.refresh_from_db()
    assert deal.status == DealStatus.COMPLETED
    assert re.fullmatch(r"[A-Z3789]{3}-[A-Z3789]{3}", code_shown)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_market_pages_fit_a_phone(
    page, live_server, login, viewport, lot_of_a, rep_a, rep_b, project_b, persona_password
):
    """Cards and `table-cards` rows at 375 px: no sideways scrolling, no squeezed cell, no action off-screen."""
    from tests.e2e.test_phone_layout import CELL_REPORT, NARROWEST_CELL_PX, sideways_overflow

    response = services.response_submit(lot=lot_of_a, project=project_b, actor=rep_b, data={"channels": "Posters"})
    deal = services.response_accept(response=response, actor=rep_a)
    services.deal_message_post(deal=deal, actor=rep_a, body="Привет! " * 40)
    login(page, rep_b.email, password=persona_password)
    base = f"{live_server.url}/cabinet/{project_b.slug}"
    for path in ("market/", f"market/{lot_of_a.pk}/", "responses/", "deals/", f"deals/{deal.code}/"):
        page.goto(f"{base}/{path}")
        assert sideways_overflow(page) <= 0, path
        report = page.evaluate(CELL_REPORT)
        assert not [c for c in report["cells"] if c["w"] < NARROWEST_CELL_PX], path
        assert not [a for a in report["actions"] if a["left"] < 0 or a["right"] > report["width"]], path
    page.goto(f"{base}/deals/")
    assert page.evaluate(CELL_REPORT)["cells"], "the deals list shows its row"
