"""The first hour (issue 9): a new manager goes from the dashboard to a lot submitted for moderation in at most
three page loads, with the budget calculator answering while the figures are typed — at desktop and 375 px.
Then the lot pages fit the phone."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_phone_layout import CELL_REPORT, NARROWEST_CELL_PX, sideways_overflow
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory

SLUG = "first-hour"
MAX_PAGE_LOADS = 3


@pytest.fixture
def manager(transactional_db):
    project = ProjectFactory(name="First Hour Café", slug=SLUG)
    user = UserFactory(email="new@first-hour.example", first_name="Nina", language="en")
    MembershipFactory(user=user, project=project)
    return user


def count_page_loads(page) -> list[str]:
    """Every document the tab loads (a redirect after a POST is one load; htmx requests are none)."""
    loads: list[str] = []
    page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
    return loads


def not_covered(page) -> bool:
    """Whether the focused field ends up on screen and on top (not under the pinned calculator), once the
    browser's own (smooth) scrolling to it is over."""
    try:
        page.wait_for_function(
            """() => {
              const field = document.activeElement, box = field.getBoundingClientRect();
              const x = box.left + box.width / 2, y = box.top + box.height / 2;
              return y > 0 && y < window.innerHeight && document.elementFromPoint(x, y) === field;
            }""",
            timeout=3000,
        )
    except PlaywrightTimeoutError:
        return False
    return True


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_from_the_dashboard_to_a_submitted_lot_in_three_page_loads(page, live_server, login, manager, viewport):
    login(page, manager.email, password=PASSWORD)
    budget_requests: list[str] = []
    page.on("request", lambda r: budget_requests.append(r.url) if "/lots/budget/" in r.url else None)
    loads = count_page_loads(page)

    page.goto(f"{live_server.url}/cabinet/{SLUG}/")  # 1: the dashboard says what a lot is
    expect(page.get_by_test_id("first-lot")).to_contain_text("A lot is your request for new clients")
    page.get_by_test_id("create-first-lot").click()  # 2: the form
    expect(page).to_have_url(f"{live_server.url}/cabinet/{SLUG}/lots/new/")

    form = page.get_by_test_id("lot-form")
    budget = page.get_by_test_id("lot-budget")
    expect(budget.get_by_test_id("budget-empty")).to_be_visible()
    form.get_by_label("Title").fill("Fifty new guests for breakfast")
    form.get_by_label("Client benefit").select_option("discount_percent")
    form.get_by_label("Benefit value").fill("10")
    # The figures are typed as a person does, moving on with Tab: the browser scrolls each field into view,
    # and neither the field nor the calculator may be hidden (on a phone the panel is pinned under them).
    for label, typed in (("Quota of new clients", "50"), ("Reward per client, ₽", "200")):
        page.keyboard.press("Tab")
        expect(form.get_by_label(label)).to_be_focused()
        page.keyboard.type(typed)
        assert not_covered(page), f"{label} is hidden while typed"
    # The calculator answers while typing, and is on screen beside (desktop) or right under (phone) the figures.
    expect(budget.get_by_test_id("budget-maximum")).to_have_text(re.compile(r"^11,000\.00\s₽$"))
    page.keyboard.press("Tab")
    page.keyboard.type("30")
    assert not_covered(page)
    expect(budget.get_by_test_id("budget-cashback")).to_have_text("1,500 points")
    expect(budget.get_by_test_id("budget-commission")).to_have_text(re.compile(r"^1,000\.00\s₽$"))
    expect(budget).to_be_in_viewport()
    assert budget_requests, "the panel was not refreshed by htmx"
    assert all("csrfmiddlewaretoken" not in url and "title=" not in url for url in budget_requests)
    form.get_by_label("Valid from").fill("2026-12-01")
    form.get_by_label("Valid until").fill("2027-02-28")

    with page.expect_navigation():
        page.get_by_test_id("save-submit").click()  # 3: the lot's card
    expect(page.get_by_test_id("lot-status")).to_have_attribute("data-status", "moderation")
    expect(page.get_by_test_id("lot-title")).to_have_text("Fifty new guests for breakfast")
    assert len(loads) <= MAX_PAGE_LOADS, loads
    assert sideways_overflow(page) <= 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_lot_pages_fit_a_phone(page, live_server, login, manager, viewport):
    from offers import services
    from projects.models import Project
    from tests.offers.conftest import lot_terms

    project = Project.objects.get(slug=SLUG)
    lot = services.lot_create(project=project, actor=manager, data=lot_terms(title="A lot with a long title " * 3))
    login(page, manager.email, password=PASSWORD)
    for name, kwargs in [
        ("cabinet:lots", {}),
        ("cabinet:lot_create", {}),
        ("cabinet:lot_detail", {"pk": lot.pk}),
        ("cabinet:lot_edit", {"pk": lot.pk}),
    ]:
        page.goto(live_server.url + reverse(name, kwargs={"project_slug": SLUG, **kwargs}))
        assert sideways_overflow(page) <= 0, name
    page.goto(live_server.url + reverse("cabinet:lots", kwargs={"project_slug": SLUG}))
    report = page.evaluate(CELL_REPORT)
    assert report["cells"] and not [c for c in report["cells"] if c["w"] < NARROWEST_CELL_PX], report["cells"]
