"""A staff member opens the audit journal in headless Chromium, filters it by event and period through the
form, sees exactly the matching rows, and opens one to read its changes."""

import datetime
import zoneinfo

import pytest
from playwright.sync_api import expect

from accounts import events as account_events
from auditlog.models import AuditEvent

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


def at(day, hour=12):
    return datetime.datetime(2026, 3, day, hour, tzinfo=MOSCOW)


@pytest.mark.django_db(transaction=True)
def test_staff_filters_the_journal_by_event_and_period(
    page, live_server, login, moderator, admin, rep_a, persona_password
):
    moderator.time_zone = "Europe/Moscow"
    moderator.save()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                created_at=at(2),
                event=account_events.USER_BLOCKED,
                actor=admin,
                actor_role="admin",
                object_text="blocked inside",
                changes={"status": {"old": "active", "new": "blocked"}},
            ),
            AuditEvent(
                created_at=at(4, 23),
                event=account_events.USER_BLOCKED,
                actor=admin,
                actor_role="admin",
                object_text="blocked late on the 4th",
            ),
            AuditEvent(
                created_at=at(5, 0),
                event=account_events.USER_BLOCKED,
                actor=admin,
                actor_role="admin",
                object_text="blocked after",
            ),
            AuditEvent(
                created_at=datetime.datetime(2026, 2, 27, 12, tzinfo=MOSCOW),
                event=account_events.USER_BLOCKED,
                actor=admin,
                object_text="blocked before",
            ),
            AuditEvent(
                created_at=at(3),
                event=account_events.LOGOUT,
                actor=rep_a,
                actor_role="representative",
                object_text="a sign-out",
            ),
        ]
    )

    login(page, moderator.email, password=persona_password)
    page.get_by_role("link", name="Audit journal").click()
    expect(page.locator("h1")).to_have_text("Audit journal")
    expect(page.locator("#audit-table tbody tr")).to_have_count(6)  # five events and this sign-in

    form = page.locator("#audit-filter")
    form.get_by_label("Event", exact=True).select_option(account_events.USER_BLOCKED)
    form.get_by_label("From", exact=True).fill("2026-03-01")
    form.get_by_label("To", exact=True).fill("2026-03-04")
    with page.expect_navigation():
        form.get_by_role("button", name="Filter").click()

    rows = page.locator("#audit-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("blocked late on the 4th")
    expect(rows.nth(0)).to_contain_text("4 Mar 2026, 23:00")  # the one date-time format, in the reader's zone
    expect(rows.nth(1)).to_contain_text("blocked inside")
    expect(page.locator("#audit-table")).not_to_contain_text("a sign-out")
    expect(form.get_by_label("Event", exact=True)).to_have_value(account_events.USER_BLOCKED)

    with page.expect_navigation():
        rows.nth(1).get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("User blocked")
    changes = page.locator("#audit-changes")
    expect(changes).to_contain_text("status")
    expect(changes).to_contain_text("active")
    expect(changes).to_contain_text("blocked")

    page.go_back()
    with page.expect_navigation():
        page.get_by_role("link", name="Time").click()  # oldest first
    expect(page.locator("#audit-table tbody tr").nth(0)).to_contain_text("blocked inside")
