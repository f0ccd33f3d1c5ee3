"""The two-factor pages as people meet them: distinct labels for the secret and the code, a digit keypad
for codes on phones, a replayed code called what it is, and "generate new recovery codes" looking as
dangerous as it is (cabinets/auth_forms.py, templates/mfa/)."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from django.urls import reverse

from tests.accounts.test_two_factor import (
    enrol_totp,
    open_totp_activation,
    post_login,
    signed_in_user_id,
    totp_code,
    wait_for_a_fresh_totp_window,
)


def input_tag(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page, re.S)
    assert match, f"no input named {name!r}"
    return " ".join(match.group(0).split())


def assert_code_input_brings_up_the_digit_keypad(tag: str):
    assert 'inputmode="numeric"' in tag
    assert 'autocomplete="one-time-code"' in tag
    assert 'pattern="[0-9]*"' in tag


@pytest.fixture
def russian_rep(client, rep_a, persona_password):
    rep_a.language = "ru"
    rep_a.save(update_fields=["language"])
    post_login(client, "rep@alpha.example", persona_password)
    return rep_a


def test_activation_page_names_the_secret_and_the_code_differently(client, russian_rep, persona_password):
    open_totp_activation(client, persona_password)

    page = client.get(reverse("mfa_activate_totp")).content.decode()

    assert re.search(r'<label class="form-label" for="authenticator_secret">\s*Секретный ключ\s*</label>', page)
    assert re.search(r'<label class="form-label" for="id_code">\s*Код из приложения\s*</label>', page)
    assert "Код аутентификатора" not in page, "allauth's Russian name for both fields"
    assert_code_input_brings_up_the_digit_keypad(input_tag(page, "code"))
    secret = re.search(r'<input[^>]*id="authenticator_secret"[^>]*>', page, re.S).group(0)
    assert "readonly" in secret, "the key can be selected and copied"
    assert client.session["mfa.totp.secret"] not in re.search(r"<img[^>]*>", page).group(0), (
        "the QR's alt text is not the secret"
    )


def test_activation_page_in_english(client, rep_a, persona_password):
    post_login(client, "rep@alpha.example", persona_password)
    open_totp_activation(client, persona_password)

    page = client.get(reverse("mfa_activate_totp"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Secret key" in page and "Code from the app" in page


def test_sign_in_and_confirm_pages_bring_up_the_digit_keypad(client, rep_a, persona_password):
    post_login(client, "rep@alpha.example", persona_password)
    enrol_totp(client, persona_password)
    reauthenticate = client.get(reverse("mfa_reauthenticate"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post(reverse("account_logout"))
    post_login(client, "rep@alpha.example", persona_password)

    authenticate = client.get(reverse("mfa_authenticate"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for page in (authenticate, reauthenticate):
        assert_code_input_brings_up_the_digit_keypad(input_tag(page, "code"))
        assert "Code from the app or a recovery code" in page


def test_recovery_codes_are_digits_so_the_keypad_can_type_them(client, rep_a, persona_password):
    post_login(client, "rep@alpha.example", persona_password)

    _secret, recovery_codes = enrol_totp(client, persona_password)

    assert all(code.isdigit() for code in recovery_codes)


def test_a_wrong_code_is_still_called_incorrect(client, rep_a, persona_password):
    post_login(client, "rep@alpha.example", persona_password)
    secret, _ = enrol_totp(client, persona_password)
    client.post(reverse("account_logout"))
    post_login(client, "rep@alpha.example", persona_password)
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"

    page = client.post(reverse("mfa_authenticate"), {"code": wrong}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "Неверный код." in page
    assert "уже использован" not in page


def test_a_replayed_code_says_it_was_already_used_in_russian(client, russian_rep, persona_password):
    secret, _ = enrol_totp(client, persona_password)
    client.post(reverse("account_logout"))
    wait_for_a_fresh_totp_window(seconds_needed=5)
    window = int(time.time()) // mfa_settings.TOTP_PERIOD
    code = totp_code(secret)
    post_login(client, "rep@alpha.example", persona_password)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.post(reverse("account_logout"))
    post_login(client, "rep@alpha.example", persona_password)

    response = client.post(reverse("mfa_authenticate"), {"code": code}, HTTP_ACCEPT_LANGUAGE="ru")

    assert int(time.time()) // mfa_settings.TOTP_PERIOD == window
    assert "Этот код уже использован." in response.content.decode()
    assert signed_in_user_id(client) is None


def test_regenerating_recovery_codes_warns_and_looks_different_from_downloading(client, russian_rep, persona_password):
    enrol_totp(client, persona_password)

    codes = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    download = re.search(rf'<a href="{reverse("mfa_download_recovery_codes")}"\s+class="btn ([^"]+)"', codes)
    generate = re.search(rf'<a href="{reverse("mfa_generate_recovery_codes")}"\s+class="btn ([^"]+)"', codes)
    assert download and generate, codes
    assert download.group(1) == "btn-outline-secondary"
    assert generate.group(1) == "btn-warning"
    assert "перестанут действовать" in codes

    confirm = client.get(reverse("mfa_generate_recovery_codes")).content.decode()
    warning = re.search(r'data-testid="regenerate-warning">(.*?)</div>', confirm, re.S)
    assert warning, confirm
    assert "Коды восстановления, которые у вас есть сейчас, перестанут действовать." in warning.group(1)
    assert "10 неиспользованных кодов" in " ".join(warning.group(1).split())
    assert re.search(r'<button\s+class="btn btn-danger"[^>]*type="submit">\s*Да, создать новые коды', confirm)

    overview = client.get(reverse("mfa_index")).content.decode()
    assert re.search(rf'<a href="{reverse("mfa_generate_recovery_codes")}"\s+class="btn btn-warning"', overview)
