"""On a 375 px phone the unread count is on the collapsed bar, beside the menu button, and follows new
notifications without a reload; on a wide screen it stays in the menu (one bell at a time)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_notifications_bell import REP_EMAIL, notify_rep, rep_with_an_empty_bell


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_phone_shows_the_unread_count_on_the_collapsed_bar(page, live_server, demo_data, login, viewport, settings):
    settings.NOTIFICATIONS_BELL_POLL_SECONDS = 1
    rep = rep_with_an_empty_bell()
    login(page, REP_EMAIL)
    phone_bell = page.get_by_test_id("notification-bell-phone")
    expect(phone_bell).to_be_visible()
    expect(page.get_by_test_id("notification-bell")).to_be_hidden()
    expect(page.locator("#nav-main")).to_be_hidden()  # the menu is collapsed
    page.evaluate("window.sameDocument = true")

    notify_rep(rep, "100 new guests")
    notify_rep(rep, "Autumn menu")

    count = page.get_by_test_id("notification-count-phone")
    expect(count).to_have_text("2", timeout=10_000)  # the menu's bell polled; the phone bell came out of band
    assert page.evaluate("window.sameDocument") is True, "the page was reloaded"
    box = count.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"], "the badge is on screen"

    phone_bell.click()
    expect(page).to_have_url(f"{live_server.url}/notifications/")
    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_test_id("notification-bell-phone")).to_have_attribute("data-unread", "0")
    expect(page.get_by_test_id("notification-count-phone")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"])
def test_wide_screen_shows_one_bell_in_the_menu(page, live_server, demo_data, login, viewport):
    login(page, REP_EMAIL)
    expect(page.get_by_test_id("notification-bell")).to_be_visible()
    expect(page.get_by_test_id("notification-bell-phone")).to_be_hidden()
