"""A moderator finds a deal through the staff menu and its code, writes in its thread, and cancels it with a
reason (the form folds open on the card); and the staff deal pages on a phone. A screenshot per step."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Role
from notifications.models import Notification
from offers import codes, services
from offers.models import DealMessage, DealStatus
from tests.e2e.conftest import PHONE
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory
from tests.matrix.market import published_lot

ARTIFACTS = settings.BASE_DIR / "var" / "e2e-artifacts" / "staff-deals"


def shot(page, step: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{step}.png"), full_page=True)


@pytest.fixture
def deal(transactional_db):
    owner = ProjectFactory(name="Alpha Lounge", slug="alpha")
    partner = ProjectFactory(name="Beta Barbershop", slug="beta")
    rep_a = UserFactory(email="rep@alpha.example", role=Role.REPRESENTATIVE, language="en")
    rep_b = UserFactory(email="rep@beta.example", role=Role.REPRESENTATIVE, language="en")
    MembershipFactory(user=rep_a, project=owner)
    MembershipFactory(user=rep_b, project=partner)
    moderator = UserFactory(email="moderator@misty.example", role=Role.MODERATOR, language="en")
    lot = published_lot(owner, rep_a, moderator, title="Hookah night for newcomers")
    response = services.response_submit(lot=lot, project=partner, actor=rep_b, data={"channels": "Posters"})
    deal = services.response_accept(response=response, actor=rep_a)
    services.deal_message_post(deal=deal, actor=rep_b, body="Posters are up since Monday.")
    return deal


@pytest.mark.django_db(transaction=True)
def test_a_moderator_writes_in_a_deal_and_cancels_it(page, live_server, login, deal):
    login(page, "moderator@misty.example", password=PASSWORD)
    page.get_by_test_id("nav-more").click()
    page.get_by_test_id("nav-deals").click()
    expect(page.get_by_test_id("deal-row")).to_have_count(1)
    page.locator("#deals-filter input[name='q']").fill(codes.display(deal.code).lower())
    with page.expect_navigation():
        page.locator("#deals-filter input[name='q']").press("Enter")
    expect(page.get_by_test_id("deal-row")).to_contain_text("Beta Barbershop")
    shot(page, "1-list")
    page.get_by_test_id("deal-link").click()

    expect(page.get_by_test_id("deal-message")).to_contain_text("Posters are up")
    page.locator("textarea[name='body']").fill("Misty here: please put the code on the poster.")
    with page.expect_navigation():
        page.get_by_test_id("deal-message-send").click()
    expect(page.get_by_test_id("deal-message")).to_have_count(2)
    expect(page.get_by_test_id("deal-message").nth(1)).to_contain_text("Misty team")
    shot(page, "2-written")

    form = page.get_by_test_id("cancel-form")
    expect(form).to_be_hidden()
    page.get_by_test_id("deal-cancel").click()
    expect(form).to_be_visible()
    form.locator("textarea").fill("A duplicate of another deal")
    shot(page, "3-cancel-form")
    with page.expect_navigation():
        page.get_by_test_id("cancel-submit").click()
    expect(page.get_by_test_id("deal-status")).to_have_text("Cancelled")
    expect(page.get_by_test_id("deal-end-reason")).to_have_text("A duplicate of another deal")
    expect(page.get_by_test_id("deal-cancel")).to_have_count(0)
    shot(page, "4-cancelled")
    deal.refresh_from_db()
    assert deal.status == DealStatus.CANCELLED and DealMessage.objects.filter(author_project=None).count() == 1
    assert Notification.objects.get(event="offers.deal.cancelled", recipient__email="rep@beta.example").link == (
        f"/cabinet/beta/deals/{deal.code}/"
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_staff_deal_pages_fit_a_phone(page, live_server, login, deal, viewport):
    login(page, "moderator@misty.example", password=PASSWORD)
    for url in (reverse("staff:deals"), reverse("staff:deal_detail", kwargs={"code": deal.code})):
        page.goto(live_server.url + url)
        shot(page, f"phone-{url.strip('/').replace('/', '-')}")
        width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], f"{url}: the page scrolls sideways on a phone ({width})"
    page.goto(live_server.url + reverse("staff:deals"))
    cells = page.evaluate(
        "() => [...document.querySelectorAll('table tbody td')]"
        ".filter(c => getComputedStyle(c).display !== 'none').map(c => c.getBoundingClientRect().width)"
    )
    assert cells and min(cells) >= 120, f"a squeezed cell on a phone ({cells})"
