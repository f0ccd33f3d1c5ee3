"""A representative sees the bell count change without a reload, marks one read, then all read."""

import pytest
from django.db import transaction
from playwright.sync_api import expect

from accounts.models import User
from notifications import notify
from notifications.models import Notification

REP_EMAIL = "rep2@smoke-garden.example"


def rep_with_an_empty_bell():
    """The representative, without the notifications the demo marketplace left them: the tests count theirs."""
    rep = User.objects.get(email=REP_EMAIL)
    Notification.objects.filter(recipient=rep).delete()
    return rep


def notify_rep(user, lot_title):
    with transaction.atomic():  # as a service would: committed, then the email is queued (eager here)
        notify(
            recipients=[user],
            event="offers.lot.approved",
            context={"lot_title": lot_title},
            link="/cabinet/smoke-garden/",
        )


@pytest.mark.django_db(transaction=True)
def test_representative_sees_the_bell_count_change_and_marks_all_read(page, live_server, demo_data, login, settings):
    settings.NOTIFICATIONS_BELL_POLL_SECONDS = 1
    rep = rep_with_an_empty_bell()
    login(page, REP_EMAIL)
    bell = page.get_by_test_id("notification-bell")
    expect(bell).to_have_attribute("data-unread", "0")
    expect(page.get_by_test_id("notification-count")).to_have_count(0)
    page.evaluate("window.sameDocument = true")  # gone if the page reloads

    notify_rep(rep, "100 new guests")
    notify_rep(rep, "Autumn menu")

    expect(page.get_by_test_id("notification-count")).to_have_text("2", timeout=10_000)  # htmx polling
    assert page.evaluate("window.sameDocument") is True, "the page was reloaded"

    page.get_by_test_id("notification-bell").click()
    expect(page).to_have_url(f"{live_server.url}/notifications/")
    rows = page.get_by_test_id("notification")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Ваш лот «Autumn menu» опубликован")

    page.evaluate("window.sameDocument = true")
    rows.first.get_by_test_id("mark-read").click()  # htmx: the row is swapped, the bell told to refresh
    expect(rows.first).to_have_attribute("data-read", "1")
    expect(page.get_by_test_id("notification-count")).to_have_text("1")
    assert page.evaluate("window.sameDocument") is True

    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_test_id("notification-bell")).to_have_attribute("data-unread", "0")
    expect(page.get_by_test_id("notification-count")).to_have_count(0)
    expect(page.locator("[data-testid='notification'][data-read='0']")).to_have_count(0)
    expect(page.get_by_test_id("notification")).to_have_count(2)  # history kept
