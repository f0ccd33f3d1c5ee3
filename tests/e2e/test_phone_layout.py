"""Every cabinet page a person can reach from the navigation fits a 375 px phone: no sideways scrolling
of the page itself (wide tables scroll inside their own box), and the menu opens from the toggler."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

STAFF_PAGES = ["staff:dashboard", "staff:projects", "staff:audit", "staff:email_delivery", "notifications:list",
               "notifications:preferences", "profile", "account_change_password", "mfa_index", "usersessions_list"]
REP_PAGES = ["notifications:list", "notifications:preferences", "profile", "account_change_password", "mfa_index"]


def sideways_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
@pytest.mark.parametrize(
    "email,pages",
    [
        ("admin@misty.example", STAFF_PAGES + [("staff:project_detail", {"slug": "pasta-bar"})]),
        ("rep1@misty-lounge.example", REP_PAGES + [("cabinet:dashboard", {"project_slug": "misty-lounge"})]),
    ],
    ids=["staff", "representative"],
)
def test_pages_fit_a_phone(page, live_server, demo_data, login, viewport, email, pages):
    login(page, email)
    too_wide = {}
    for item in pages:
        name, kwargs = item if isinstance(item, tuple) else (item, {})
        page.goto(live_server.url + reverse(name, kwargs=kwargs))
        overflow = sideways_overflow(page)
        if overflow > 0:
            too_wide[name] = overflow
    assert not too_wide, f"pages scrolling sideways at 375 px (px): {too_wide}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_phone_menu_opens_and_leads_to_the_profile(page, live_server, demo_data, login, viewport):
    login(page, "moderator@misty.example")
    page.get_by_label("Меню").click()
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Профиль").click()
    expect(page).to_have_url(live_server.url + reverse("profile"))
