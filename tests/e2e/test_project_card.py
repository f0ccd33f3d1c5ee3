"""A project's own card: a viewer sees it without the "Edit card" button; a manager edits it and saves."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

SLUG = "misty-lounge"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_viewer_sees_the_card_without_the_edit_button(page, live_server, demo_data, login, viewport):
    login(page, f"viewer@{SLUG}.example")
    page.goto(f"{live_server.url}/cabinet/{SLUG}/project/")
    expect(page.get_by_test_id("project-title")).to_have_text("Misty Lounge")
    expect(page.get_by_test_id("project-description")).to_contain_text("Кальянная")
    expect(page.get_by_test_id("legal-data")).to_contain_text("044525225")
    expect(page.locator("img.project-logo")).to_be_visible()
    expect(page.get_by_test_id("edit-card")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_a_manager_edits_the_card_and_sees_the_change(page, live_server, demo_data, login):
    login(page, f"rep2@{SLUG}.example")
    page.goto(f"{live_server.url}/cabinet/{SLUG}/")
    page.get_by_test_id("nav-project-card").first.click()
    expect(page).to_have_url(f"{live_server.url}/cabinet/{SLUG}/project/")

    page.get_by_test_id("edit-card").click()
    form = page.get_by_test_id("card-form")
    form.locator("textarea[name='description']").fill("Авторские миксы и веранда с видом на бульвар.")
    form.locator("input[name='average_check']").fill("2100")
    with page.expect_navigation():
        page.get_by_test_id("save-card").click()

    expect(page).to_have_url(f"{live_server.url}/cabinet/{SLUG}/project/")
    expect(page.get_by_test_id("project-description")).to_have_text("Авторские миксы и веранда с видом на бульвар.")
    expect(page.get_by_test_id("average-check")).to_have_text(re.compile(r"^2\s?100 ₽$"))
