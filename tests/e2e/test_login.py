"""A demo representative signs in through the real login form, in headless Chromium, and lands on the
dashboard of their project — on a desktop screen and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

REP_EMAIL = "rep1@misty-lounge.example"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_representative_logs_in_through_the_form_and_sees_the_dashboard(page, live_server, demo_data, login, viewport):
    login(page, REP_EMAIL)

    expect(page).to_have_url(f"{live_server.url}/cabinet/misty-lounge/")
    title = page.get_by_test_id("dashboard-title")
    expect(title).to_be_visible()
    expect(title).to_have_text("Misty Lounge")
    expect(page.get_by_test_id("team")).to_contain_text(REP_EMAIL)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the dashboard scrolls sideways by {overflow}px at {viewport['width']}px"


@pytest.mark.django_db(transaction=True)
def test_wrong_password_keeps_the_visitor_on_the_login_page(page, live_server, demo_data, login):
    login(page, REP_EMAIL, password="not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_test_id("dashboard-title")).to_have_count(0)
    expect(page.locator("input[name='login']")).to_have_value(REP_EMAIL)
