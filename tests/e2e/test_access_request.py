"""A visitor asks for access from the login page; an administrator finds the request from the staff menu and
approves it, and the requester receives the invitation — in headless Chromium. The pages fit a phone."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import AccessRequest, AccessRequestStatus, User, UserStatus
from tests.e2e.conftest import PHONE


@pytest.mark.django_db(transaction=True)
def test_a_visitor_requests_access_and_an_administrator_approves_it(
    page, context, live_server, login, admin, project_a, persona_password
):
    page.set_extra_http_headers({"Accept-Language": "ru"})  # a Russian visitor
    page.goto(f"{live_server.url}{reverse('account_login')}")
    page.get_by_test_id("request-access").click()
    form = page.get_by_test_id("access-request-form")
    honeypot = form.locator("input[name='website']").bounding_box()  # hidden by its class: far off the screen
    assert honeypot["x"] + honeypot["width"] < 0, honeypot
    form.locator("input[name='company']").fill("Gamma Coffee")
    form.locator("input[name='name']").fill("Gleb Gammov")
    form.locator("input[name='email']").fill("gleb@gamma.example")
    form.locator("textarea[name='message']").fill("We would like to join the ecosystem.")
    form.locator("button[type='submit']").click()
    expect(page.get_by_test_id("access-request-sent")).to_be_visible()
    request = AccessRequest.objects.get()
    assert request.status == AccessRequestStatus.OPEN and request.language == "ru"

    context.clear_cookies()
    login(page, admin.email, password=persona_password)
    nav = page.get_by_test_id("nav-access-requests")
    if not nav.is_visible():
        page.get_by_role("button", name=re.compile("Меню|Menu")).click()
    expect(nav).to_contain_text("1")
    nav.click()
    page.locator("#access-request-table tbody a").first.click()
    approve = page.get_by_test_id("approve-form")
    expect(approve.locator("input[name='first_name']")).to_have_value("Gleb")
    expect(approve.locator("input[name='last_name']")).to_have_value("Gammov")
    approve.locator("select[name='project']").select_option(label=project_a.name)
    approve.locator("select[name='right']").select_option("viewer")
    mail.outbox.clear()
    approve.locator("button[type='submit']").click()

    expect(page.get_by_test_id("access-request-status")).to_have_text(re.compile("Approved|Одобрен"))
    user = User.objects.get(email="gleb@gamma.example")
    assert user.status == UserStatus.INVITED and user.memberships.get().right == "viewer"
    assert [m.to for m in mail.outbox] == [["gleb@gamma.example"]]
    assert "/invitation/" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_access_request_pages_fit_a_phone(page, live_server, demo_data, login, viewport):
    pk = AccessRequest.objects.filter(status=AccessRequestStatus.OPEN).values_list("pk", flat=True).first()
    page.goto(live_server.url + reverse("access_request"))
    pages = [
        reverse("staff:access_requests"),
        reverse("staff:access_request_detail", args=[pk]),
        reverse("staff:users_import"),
    ]
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    login(page, "admin@misty.example")
    too_wide = {}
    for url in pages:
        page.goto(live_server.url + url)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide[url] = overflow
    assert not too_wide, f"pages scrolling sideways at 375 px (px): {too_wide}"
