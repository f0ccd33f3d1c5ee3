"""The registry: every SPEC §5 event is there, with its templates, rendering in both languages."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template.loader import get_template

from notifications import events
from notifications.rendering import render_email, render_inapp

SPEC_EVENTS = {
    "offers.lot.submitted",
    "offers.lot.approved",
    "offers.lot.changes_requested",
    "offers.lot.rejected",
    "offers.response.received",
    "offers.response.accepted",
    "offers.response.rejected",
    "offers.deal.message",
    "offers.deal.completed",
    "offers.deal.cancelled",  # beyond SPEC §8's list: both sides learn a deal was called off, and why (issue 9)
    "offers.payment.recorded",
    "reports.report.uploaded",
    "cabinets.support.requested",
    "accounts.user.invited",
    "accounts.user.welcome",
    "accounts.access.requested",
    # beyond SPEC §8's list: a disputed visit reaches the other side and staff, and its outcome both sides (issue 10)
    "visits.dispute.opened",
    "visits.dispute.resolved",
}
TYPED_SAMPLES = {
    "amount": Decimal("1250.5"),
    "paid_at": datetime.datetime(2026, 1, 31, 21, 0, tzinfo=datetime.UTC),
    "expires_at": datetime.datetime(2026, 2, 7, 21, 0, tzinfo=datetime.UTC),
    "visited_at": datetime.datetime(2026, 2, 6, 18, 0, tzinfo=datetime.UTC),
    "upheld": True,
}


def test_every_event_of_the_spec_is_registered():
    assert {e.code for e in events.all_events()} == SPEC_EVENTS


@pytest.mark.parametrize("event_type", events.all_events(), ids=lambda e: e.code)
def test_every_event_has_subject_text_html_and_inapp_templates(event_type):
    for suffix in ("-subject.txt", "-body.txt", "-body.html"):
        get_template(f"notifications/email/{event_type.template}{suffix}")
    get_template(f"notifications/inapp/{event_type.template}.txt")


@pytest.mark.parametrize("language,time_zone", [("ru", "Europe/Moscow"), ("en", "UTC")])
@pytest.mark.parametrize("event_type", events.all_events(), ids=lambda e: e.code)
def test_every_event_renders_every_context_key_in_both_languages(event_type, language, time_zone):
    recipient = SimpleNamespace(
        language=language, time_zone=time_zone, email="someone@alpha.example", get_short_name=lambda: "Alice"
    )
    context = {key: TYPED_SAMPLES.get(key, f"sample-{key}") for key in event_type.context_keys}

    title, body = render_inapp(event_type, recipient=recipient, event_context=context, link="/x/")
    email = render_email(event_type, recipient=recipient, event_context=context, link="/x/")

    assert title and body and "\n" not in title and title == email.subject
    assert "http://127.0.0.1:8000/x/" in email.text and 'href="http://127.0.0.1:8000/x/"' in email.html
    assert f'<html lang="{language}">' in email.html
    for key in event_type.context_keys:
        if key not in TYPED_SAMPLES:
            assert f"sample-{key}" in email.text + email.subject, f"{key} is not shown in {event_type.template}"


def test_important_events_are_those_where_someone_waits_for_staff():
    important = {e.code for e in events.all_events() if e.important}
    assert important == {
        "offers.lot.submitted",
        "cabinets.support.requested",
        "accounts.access.requested",
        "visits.dispute.opened",  # staff decide it
    }


def test_representatives_and_staff_each_see_only_their_events(rep_a, moderator):
    rep_events = {e.code for e in events.events_for(rep_a, configurable_only=True)}
    staff_events = {e.code for e in events.events_for(moderator, configurable_only=True)}
    assert "offers.lot.approved" in rep_events and "offers.lot.submitted" not in rep_events
    assert "offers.lot.submitted" in staff_events and "offers.lot.approved" not in staff_events
    assert "offers.deal.completed" in rep_events & staff_events
    assert "accounts.user.invited" not in rep_events | staff_events  # always emailed: nothing to choose
