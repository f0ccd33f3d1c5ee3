"""Every cabinet page a person can reach from the navigation fits a 375 px phone and a 1280 px desktop (in
Russian, the longer language: the staff menu once overflowed the laptop): no sideways scrolling
of the page itself (wide tables scroll inside their own box), and the menu opens from the toggler."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

STAFF_PAGES = [
    "staff:dashboard",
    "staff:projects",
    "staff:audit",
    "staff:email_delivery",
    "notifications:list",
    "notifications:preferences",
    "profile",
    "account_change_password",
    "mfa_index",
    "usersessions_list",
]
REP_PAGES = ["notifications:list", "notifications:preferences", "profile", "account_change_password", "mfa_index"]


def sideways_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    "email,pages",
    [
        (
            "admin@misty.example",
            [
                *STAFF_PAGES,
                "staff:users",
                "staff:user_invite",
                "staff:users_import",
                "staff:access_requests",
                ("staff:project_detail", {"slug": "pasta-bar"}),
                "staff:project_create",
                ("staff:project_edit", {"slug": "pasta-bar"}),
                ("staff:project_deactivate", {"slug": "pasta-bar"}),
                "staff:analytics",
                "staff:analytics_flows",
                "staff:visits",
                "staff:disputes",
                "staff:payments",
                "staff:settlement",
            ],
        ),
        ("moderator@misty.example", ["staff:dashboard", "staff:projects"]),  # a curator: "my projects" first
        (
            "rep1@misty-lounge.example",
            [
                *REP_PAGES,
                ("cabinet:dashboard", {"project_slug": "misty-lounge"}),
                ("cabinet:project", {"project_slug": "misty-lounge"}),
                ("cabinet:project_edit", {"project_slug": "misty-lounge"}),
                ("cabinet:catalog", {"project_slug": "misty-lounge"}),
                ("cabinet:catalog", {"project_slug": "misty-lounge", "query": "?category=bogus"}),
                ("cabinet:catalog_project", {"project_slug": "misty-lounge", "slug": "pasta-bar"}),
                ("cabinet:market", {"project_slug": "misty-lounge"}),
                ("cabinet:market", {"project_slug": "misty-lounge", "query": "?reward_min=bogus"}),
                ("cabinet:responses", {"project_slug": "misty-lounge"}),
                ("cabinet:deals", {"project_slug": "misty-lounge"}),
                ("cabinet:counter", {"project_slug": "misty-lounge"}),
                ("cabinet:visits", {"project_slug": "misty-lounge"}),
                ("cabinet:ledger", {"project_slug": "misty-lounge"}),
                ("cabinet:settlement", {"project_slug": "misty-lounge"}),
                ("cabinet:settlement", {"project_slug": "misty-lounge", "query": "?month=bogus"}),
            ],
        ),
    ],
    ids=["staff", "curator", "representative"],
)
def test_pages_fit_a_phone(page, live_server, demo_data, login, viewport, email, pages):
    login(page, email)
    too_wide = {}
    for item in pages:
        name, kwargs = item if isinstance(item, tuple) else (item, {})
        kwargs = dict(kwargs)
        query = kwargs.pop("query", "")
        page.goto(live_server.url + reverse(name, kwargs=kwargs) + query)
        overflow = sideways_overflow(page)
        if overflow > 0:
            too_wide[name] = overflow
    assert not too_wide, f"pages scrolling sideways at {viewport['width']} px (px): {too_wide}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_phone_menu_opens_and_leads_to_the_profile(page, live_server, demo_data, login, viewport):
    login(page, "moderator@misty.example")
    page.get_by_label("Меню").click()
    expect(page.locator("#nav-main")).to_have_class(re.compile(r"\bshow\b"))  # the menu has finished opening
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_role("link", name="Профиль")).to_be_visible()
    page.get_by_role("link", name="Профиль").click()
    expect(page).to_have_url(live_server.url + reverse("profile"))


LIST_PAGES = [
    "staff:audit",
    "staff:email_delivery",
    "staff:projects",
    "staff:users",
    ("staff:project_detail", {"slug": "pasta-bar"}),
    "usersessions_list",
]
NARROWEST_CELL_PX = 120  # a cell narrower than this on a phone squeezes its text to a few letters a line

CELL_REPORT = """() => {
  const out = [];
  for (const cell of document.querySelectorAll('table tbody td')) {
    const box = cell.getBoundingClientRect();
    if (box.width === 0 || getComputedStyle(cell).display === 'none') continue;
    out.push({w: Math.round(box.width), text: cell.innerText.slice(0, 30)});
  }
  const actions = [];
  for (const el of document.querySelectorAll('table button, table a')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    actions.push({left: Math.round(box.left), right: Math.round(box.right), text: el.innerText.slice(0, 30)});
  }
  return {cells: out, actions: actions, width: document.documentElement.clientWidth};
}"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_list_rows_become_cards_on_a_phone(page, live_server, demo_data, login, viewport):
    """One responsive pattern for every list (`table-cards`): no column squeezed, no action off-screen."""
    from accounts.models import User
    from notifications.models import EmailState, Notification

    admin = User.objects.get(email="admin@misty.example")
    Notification.objects.create(
        recipient=admin,
        event="accounts.user.welcome",
        title="A failed welcome email",
        email_state=EmailState.FAILED,
        email_attempts=5,
        email_last_error="SMTPRecipientsRefused: a very long error " * 5,
    )
    login(page, "admin@misty.example")
    problems = {}
    for item in LIST_PAGES:
        name, kwargs = item if isinstance(item, tuple) else (item, {})
        page.goto(live_server.url + reverse(name, kwargs=kwargs))
        report = page.evaluate(CELL_REPORT)
        assert report["cells"], f"{name}: the list shows no rows to check"
        narrow = [c for c in report["cells"] if c["w"] < NARROWEST_CELL_PX]
        off_screen = [a for a in report["actions"] if a["left"] < 0 or a["right"] > report["width"]]
        if narrow or off_screen:
            problems[name] = {"narrow cells": narrow[:3], "actions off-screen": off_screen[:3]}
    assert not problems, problems
