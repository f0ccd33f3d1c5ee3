"""An administrator invites a representative through the staff form in headless Chromium; the invitation
email is read from the mail outbox (the locmem backend: the live server runs in this process), its link is
followed, the password is set, and the new representative lands in the project's cabinet — on a desktop
screen and on a phone."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User, UserStatus
from tests.e2e.conftest import DESKTOP, PHONE

INVITATION_PATH = re.compile(r"https?://[^\s\"<]+?(/invitation/[^\s\"</]+/)")
NEW_EMAIL = "nina@alpha.example"
NEW_PASSWORD = "a-long-new-password-2026"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_invited_representative_sets_a_password_and_lands_in_the_cabinet(
    page, live_server, login, admin, project_a, project_b, persona_password, viewport
):
    mail.outbox.clear()
    login(page, admin.email, password=persona_password)
    page.goto(f"{live_server.url}/staff/users/")
    page.get_by_test_id("invite-user").click()

    form = page.get_by_test_id("invite-form")
    projects = form.locator("[data-projects-for-role]")
    form.get_by_label("Role").select_option("moderator")
    expect(projects).to_be_hidden()  # the projects part is a representative's
    form.get_by_label("Role").select_option("representative")
    expect(projects).to_be_visible()
    form.locator("input[name='email']").fill(NEW_EMAIL)
    form.locator("input[name='first_name']").fill("Nina")
    form.locator("input[name='last_name']").fill("Petrova")
    form.locator("select[name='projects-0-project']").select_option(label="Alpha Lounge")
    form.locator("select[name='projects-0-right']").select_option("manager")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the invite form scrolls sideways by {overflow}px at {viewport['width']}px"
    with page.expect_navigation():
        page.get_by_test_id("send-invitation").click()
    expect(page.get_by_test_id("person-name")).to_contain_text("Nina Petrova")
    assert User.objects.get(email=NEW_EMAIL).status == UserStatus.INVITED

    invitation = [m for m in mail.outbox if m.to == [NEW_EMAIL]]
    assert len(invitation) == 1, [m.to for m in mail.outbox]
    path = INVITATION_PATH.search(invitation[0].body).group(1)

    page.context.clear_cookies()  # the administrator leaves; the invited person opens their email
    page.goto(f"{live_server.url}{path}")
    page.locator("input[name='new_password1']").fill(NEW_PASSWORD)
    page.locator("input[name='new_password2']").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Set password")).click()

    expect(page).to_have_url(f"{live_server.url}/cabinet/alpha/")
    expect(page.get_by_test_id("dashboard-title")).to_have_text("Alpha Lounge")
    assert User.objects.get(email=NEW_EMAIL).status == UserStatus.ACTIVE
