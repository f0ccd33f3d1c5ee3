"""The project catalog as a representative meets it: cards in a grid on a desktop, one column on a phone, the
search, a project's page and the PDF brochure (built eagerly here, as with `make run`)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

REP = "rep1@misty-lounge.example"


def card_columns(page) -> int:
    lefts = page.locator("[data-testid=catalog-card]").evaluate_all(
        "cards => cards.map(c => Math.round(c.getBoundingClientRect().left))"
    )
    return len(set(lefts))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport,columns", [(DESKTOP, 3), (PHONE, 1)], ids=["desktop", "phone"])
def test_catalog_cards_fill_the_width(page, live_server, demo_data, login, viewport, columns):
    login(page, REP)
    page.goto(live_server.url + reverse("cabinet:catalog", kwargs={"project_slug": "misty-lounge"}))
    expect(page.get_by_test_id("your-project")).to_have_count(1)
    assert page.locator("[data-testid=catalog-card]").count() > 3
    assert card_columns(page) == columns
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


@pytest.mark.django_db(transaction=True)
def test_search_open_a_card_and_download_the_brochure(page, live_server, demo_data, login):
    from projects.models import Project

    other = Project.objects.filter(active=True).exclude(slug="misty-lounge").order_by("name").first()
    login(page, REP)
    page.get_by_test_id("nav-catalog").click()
    page.get_by_role("searchbox").fill(other.name.upper())
    page.get_by_role("searchbox").press("Enter")
    expect(page.get_by_test_id("catalog-card")).to_have_count(1)
    page.get_by_role("link", name=other.name).click()
    expect(page.get_by_test_id("catalog-project-name")).to_have_text(other.name)
    page.go_back()
    with page.expect_download() as download:
        page.get_by_test_id("catalog-brochure").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
