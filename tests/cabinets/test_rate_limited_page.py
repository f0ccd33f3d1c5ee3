"""A spent allauth rate limit answers with the portal's own 429 page, in the reader's language, saying how
long to wait (ACCOUNT_RATE_LIMITS; cabinets/rate_limits.py reads the wait back from allauth's counters)."""

import re
import time

import pytest
from django.urls import reverse

from cabinets import rate_limits

WEAK = "short"


def change_password(client, password):
    return client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": WEAK, "password2": WEAK},
    )


@pytest.fixture
def russian_rep(client, rep_a, persona_password):
    rep_a.language = "ru"
    rep_a.save(update_fields=["language"])
    client.post(reverse("account_login"), {"login": rep_a.email, "password": persona_password})
    return rep_a


def test_sixth_weak_password_in_a_minute_gets_the_portal_page_in_russian(client, russian_rep, persona_password):
    for _ in range(5):  # "change_password": "5/m/user"
        assert change_password(client, persona_password).status_code == 200

    response = change_password(client, persona_password)

    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="ru">' in page
    assert "<title>Слишком много попыток · Misty</title>" in page
    assert 'data-testid="user-menu"' in page, "the portal's navbar: the page extends base.html"
    assert "Too Many Requests" not in page
    wait = re.search(r"Подождите (\d+) секунд\w* и попробуйте снова", page)
    assert wait, page
    assert 50 <= int(wait.group(1)) <= 60
    assert 50 <= int(response["Retry-After"]) <= 60
    assert f'href="{reverse("account_change_password")}"' in page


def test_password_reset_limit_per_address_in_english(client, rep_a):
    for _ in range(5):  # "reset_password": "20/m/ip,5/m/key"
        client.post(reverse("account_reset_password"), {"email": "rep@alpha.example"}, HTTP_ACCEPT_LANGUAGE="en")

    response = client.post(
        reverse("account_reset_password"), {"email": " Rep@Alpha.example "}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 429
    page = response.content.decode()
    assert "<title>Too many attempts · Misty</title>" in page
    wait = re.search(r"Please wait (\d+) seconds? and try again", page)
    assert wait and 50 <= int(wait.group(1)) <= 60, page


def test_the_wait_is_counted_from_the_oldest_attempt_that_still_counts(
    client, russian_rep, persona_password, monkeypatch
):
    started = time.time()
    for _ in range(5):
        change_password(client, persona_password)
    monkeypatch.setattr(rate_limits.time, "time", lambda: started + 45)

    response = change_password(client, persona_password)

    assert response.status_code == 429
    assert 10 <= int(response["Retry-After"]) <= 16


def test_a_limit_longer_than_a_minute_is_said_in_minutes(client, settings, rep_a):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "2/10m/key"}
    for _ in range(2):
        client.post(reverse("account_reset_password"), {"email": "rep@alpha.example"})

    response = client.post(reverse("account_reset_password"), {"email": "rep@alpha.example"}, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 429
    assert "Подождите 10 минут и попробуйте снова" in response.content.decode()


def test_too_many_logins_from_one_address(client, settings, rep_a, persona_password):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    for _ in range(3):
        client.post(reverse("account_login"), {"login": "nobody@x.example", "password": "x"})

    response = client.post(
        reverse("account_login"),
        {"login": "rep@alpha.example", "password": persona_password},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many attempts" in page
    assert re.search(r"Please wait \d+ seconds? and try again", page)
