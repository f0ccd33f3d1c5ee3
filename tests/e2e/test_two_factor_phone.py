"""A representative turns on two-factor authentication on a 375 px phone: the page fits, the key can go to
the app without scanning, the secret and the code are told apart, the code field asks for the digit keypad,
and the recovery codes page that follows shows "generate new codes" as the warning it is."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

REP_EMAIL = "rep1@misty-lounge.example"


def current_code(secret: str) -> str:
    left = mfa_settings.TOTP_PERIOD - (time.time() % mfa_settings.TOTP_PERIOD)
    if left < 3:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_totp_activation_on_a_phone(page, live_server, demo_data, login, viewport):
    login(page, REP_EMAIL)
    page.goto(live_server.url + reverse("mfa_activate_totp"))
    if "/reauthenticate/" in page.url:  # allauth asks for the password before any two-factor change
        page.locator("input[name='password']").fill(settings.PORTAL_DEMO_PASSWORD)
        with page.expect_navigation():
            page.locator("main button[type='submit']").click()
    expect(page).to_have_url(live_server.url + reverse("mfa_activate_totp"))

    expect(page.get_by_label("Секретный ключ")).to_be_visible()
    code = page.get_by_label("Код из приложения")
    expect(code).to_be_visible()
    expect(code).to_have_attribute("inputmode", "numeric")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    qr = page.get_by_alt_text("QR-код для приложения-аутентификатора")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] <= PHONE["width"]
    app_link = page.get_by_test_id("totp-app-link")  # a phone cannot scan its own screen
    expect(app_link).to_be_visible()
    expect(app_link).to_have_attribute("href", re.compile(r"^otpauth://totp/"))
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the activation page scrolls sideways by {overflow}px at 375 px"

    secret = page.get_by_label("Секретный ключ").input_value()
    code.fill(current_code(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Включить").click()

    expect(page).to_have_url(live_server.url + reverse("mfa_view_recovery_codes"))
    expect(page.get_by_role("link", name="Создать новые коды")).to_have_class(re.compile(r"\bbtn-warning\b"))
    expect(page.get_by_role("link", name="Скачать коды")).to_have_class(re.compile(r"\bbtn-outline-secondary\b"))
