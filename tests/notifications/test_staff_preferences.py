"""Staff email preferences show what will really be sent: under "important only" or "none" the switches of
events the level does not let through are off, disabled and marked — and their own choice is kept for when
the level lets them through again (cabinets/notification_forms.py, static/portal/notification-preferences.js)."""

import re

import pytest
from django.urls import reverse

from cabinets.notification_forms import NotificationPreferencesForm
from notifications import events
from notifications.models import NotificationPreference, NotificationSettings
from notifications.preferences import level_lets_through, levels_letting_through

pytestmark = pytest.mark.django_db

DEAL_COMPLETED = "offers.deal.completed"  # informational: "all" only
LOT_SUBMITTED = "offers.lot.submitted"  # important: someone waits for a moderator
URL = reverse("notifications:preferences")


def field(code):
    return NotificationPreferencesForm.field_name(code)


def switch(html, code):
    match = re.search(rf'<input[^>]*name="{field(code)}"[^>]*>', html)
    assert match, code
    return match.group(0)


def note_hidden(html, code):
    start = html.index(f'name="{field(code)}"')
    block = html[start : html.index("</div>", start)]
    note = re.search(r"<span[^>]*data-email-blocked-note[^>]*>", block).group(0)
    return " hidden" in note


def set_level(user, level):
    NotificationSettings.objects.update_or_create(user=user, defaults={"staff_level": level})


def all_switches_on(form):
    return {field(row.event.code): "on" for row in form.event_rows()}


def test_the_level_decides_first():
    deal, lot = events.get(DEAL_COMPLETED), events.get(LOT_SUBMITTED)
    assert [level_lets_through(deal, level) for level in ("all", "important", "none")] == [True, False, False]
    assert [level_lets_through(lot, level) for level in ("all", "important", "none")] == [True, True, False]
    assert levels_letting_through(deal) == ["all"] and levels_letting_through(lot) == ["all", "important"]


def test_important_only_shows_deal_completed_off_disabled_and_not_sent(client_as):
    html = client_as("moderator").get(URL).content.decode()  # the default level: important only

    deal = switch(html, DEAL_COMPLETED)
    assert "disabled" in deal and "checked" not in deal
    assert 'data-choice="1"' in deal, "its own choice (the default: on) is kept for later"
    assert 'data-email-levels="all"' in deal
    assert not note_hidden(html, DEAL_COMPLETED)
    assert "not sent at this level" in html

    lot = switch(html, LOT_SUBMITTED)
    assert "disabled" not in lot and "checked" in lot
    assert 'data-email-levels="all important"' in lot
    assert note_hidden(html, LOT_SUBMITTED)
    assert 'name="shown_level" value="important"' in html
    assert "portal/notification-preferences.js" in html


def test_none_disables_every_switch(client_as, moderator):
    set_level(moderator, "none")
    html = client_as("moderator").get(URL).content.decode()
    for code in (DEAL_COMPLETED, LOT_SUBMITTED):
        assert "disabled" in switch(html, code) and "checked" not in switch(html, code)
        assert not note_hidden(html, code)


def test_all_enables_every_switch(client_as, moderator):
    set_level(moderator, "all")
    html = client_as("moderator").get(URL).content.decode()
    for code in (DEAL_COMPLETED, LOT_SUBMITTED):
        assert "disabled" not in switch(html, code) and "checked" in switch(html, code)
        assert note_hidden(html, code)


def test_a_representative_has_no_level_and_no_disabled_switch(client_as):
    html = client_as("rep_a").get(URL).content.decode()
    assert "shown_level" not in html and "disabled" not in html and "data-email-levels" not in html


def test_raising_the_level_without_javascript_keeps_the_choices_of_the_disabled_switches(client_as, moderator):
    """The browser does not send a disabled switch: that is not "off"."""
    client = client_as("moderator")
    form = client.get(URL).context["form"]
    data = {name: value for name, value in all_switches_on(form).items() if name != field(DEAL_COMPLETED)}
    data.update(staff_level="all", shown_level="important")

    assert client.post(URL, data).status_code == 302

    assert NotificationSettings.objects.get(user=moderator).staff_level == "all"
    assert not NotificationPreference.objects.filter(user=moderator, event=DEAL_COMPLETED).exists()
    html = client.get(URL).content.decode()
    assert "checked" in switch(html, DEAL_COMPLETED) and "disabled" not in switch(html, DEAL_COMPLETED)


def test_switches_enabled_live_are_read(client_as, moderator):
    """The script enabled the switches for "all" and said so in shown_level: an unchecked one is "off"."""
    client = client_as("moderator")
    form = client.get(URL).context["form"]
    data = {name: value for name, value in all_switches_on(form).items() if name != field(DEAL_COMPLETED)}
    data.update(staff_level="all", shown_level="all")

    assert client.post(URL, data).status_code == 302

    assert NotificationPreference.objects.get(user=moderator, event=DEAL_COMPLETED).email_enabled is False


def test_lowering_the_level_keeps_the_per_event_choices(client_as, moderator):
    set_level(moderator, "all")
    client = client_as("moderator")
    form = client.get(URL).context["form"]
    data = all_switches_on(form)
    data.pop(field(LOT_SUBMITTED))  # this one the person turns off
    data.update(staff_level="none", shown_level="all")

    assert client.post(URL, data).status_code == 302

    prefs = dict(NotificationPreference.objects.filter(user=moderator).values_list("event", "email_enabled"))
    assert prefs == {LOT_SUBMITTED: False}
    html = client.get(URL).content.decode()
    assert 'data-choice="0"' in switch(html, LOT_SUBMITTED) and 'data-choice="1"' in switch(html, DEAL_COMPLETED)


def test_a_forged_shown_level_falls_back_to_the_stored_level(client_as, moderator):
    client = client_as("moderator")
    form = client.get(URL).context["form"]
    data = {name: value for name, value in all_switches_on(form).items() if name != field(DEAL_COMPLETED)}
    data.update(staff_level="important", shown_level="bogus")
    assert client.post(URL, data).status_code == 302
    assert not NotificationPreference.objects.filter(user=moderator).exists()
