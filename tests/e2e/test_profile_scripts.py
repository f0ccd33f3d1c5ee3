"""The two small scripts of the profile pages, in a real browser: the time zone search box
(static/portal/select-filter.js) and the staff email switches following the level live
(static/portal/notification-preferences.js)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cabinets.notification_forms import NotificationPreferencesForm

MODERATOR = "moderator@misty.example"


@pytest.mark.django_db(transaction=True)
def test_time_zone_search_narrows_the_list_and_keeps_the_choice(page, live_server, demo_data, login):
    login(page, MODERATOR)
    page.goto(live_server.url + reverse("profile"))
    select = page.locator("select[name='time_zone']")
    before = select.input_value()
    search = page.get_by_test_id("select-filter")

    search.fill("екатер")
    options = select.locator("option")
    texts = options.all_inner_texts()
    assert any("Екатеринбург (UTC+5)" in text for text in texts)
    assert len(texts) <= 3, texts  # the match and the current choice
    assert select.input_value() == before, "typing changes nothing by itself"

    select.select_option("Asia/Yekaterinburg")
    search.fill("")
    assert select.locator("option").count() > 300
    search.press("Enter")  # does not submit the form
    expect(page).to_have_url(live_server.url + reverse("profile"))
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("select[name='time_zone']")).to_have_value("Asia/Yekaterinburg")


@pytest.mark.django_db(transaction=True)
def test_email_switches_follow_the_level_live(page, live_server, demo_data, login):
    login(page, MODERATOR)
    page.goto(live_server.url + reverse("notifications:preferences"))
    deal = page.locator(f"input[name='{NotificationPreferencesForm.field_name('offers.deal.completed')}']")
    lot = page.locator(f"input[name='{NotificationPreferencesForm.field_name('offers.lot.submitted')}']")
    level = page.locator("input[name='staff_level']")

    expect(deal).to_be_disabled()
    expect(deal).not_to_be_checked()
    expect(lot).to_be_enabled()

    level.locator("visible=true").nth(0).check()  # all
    expect(deal).to_be_enabled()
    expect(deal).to_be_checked()  # its own choice came back
    expect(page.locator("input[name='shown_level']")).to_have_value("all")
    deal.uncheck()

    level.nth(2).check()  # none
    expect(deal).to_be_disabled()
    expect(lot).to_be_disabled()
    expect(lot).not_to_be_checked()

    level.nth(0).check()  # all again: the unchecked choice is remembered
    expect(deal).not_to_be_checked()
    expect(lot).to_be_checked()
    page.locator("form.card button[type='submit']").click()
    expect(deal).to_be_enabled()
    expect(deal).not_to_be_checked()
