"""Refusals OWASP ASVS 16.3 asks to log, and the bound on how much of the journal anyone can write:
a wrong two-factor code, a sign-in refused by the lockout, a rate-limit 429, a CSRF failure, and every
403/404 — the access policy's and any other — journaled once, at most once a minute for the same
user-or-IP and path (auditlog/throttle.py)."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client
from django.urls import reverse

from accounts import events as account_events
from auditlog import events, throttle
from auditlog.models import AuditEvent
from portal import cache as portal_cache
from portal.cache import redis_cache_settings
from tests.services import free_port

REFUSAL_URLS = "tests.auditlog.refusal_urls"


def journal(event):
    return list(AuditEvent.objects.filter(event=event).order_by("id"))


def login(client, email, password, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


@pytest.fixture(autouse=True)
def fresh_throttle_state(monkeypatch):
    monkeypatch.setattr(throttle, "_local", {})
    monkeypatch.setattr(portal_cache, "_down_until", {})


@pytest.fixture
def no_throttle(monkeypatch):
    """For the tests that count how often a refusal is journaled by itself, before any throttling."""
    monkeypatch.setattr(throttle, "should_record", lambda **kwargs: True)


# --- two-factor ------------------------------------------------------------------------------------------
def wrong_code(secret: str) -> str:
    now = int(time.time()) // 30
    valid = {format_hotp_value(hotp_value(secret, counter)) for counter in range(now - 2, now + 3)}
    return next(code for code in ("000000", "111111", "222222") if code not in valid)


@pytest.fixture
def rep_with_totp(rep_a):
    secret = generate_totp_secret()
    TOTP.activate(rep_a, secret)
    rep_a.totp_secret = secret
    return rep_a


def reach_the_code_step(client, user, password):
    response = login(client, user.email, password, REMOTE_ADDR="198.51.100.61")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")


class TestTwoFactor:
    def test_a_wrong_code_at_sign_in_is_journaled_with_the_user(self, client, rep_with_totp, persona_password):
        reach_the_code_step(client, rep_with_totp, persona_password)

        response = client.post(
            reverse("mfa_authenticate"), {"code": wrong_code(rep_with_totp.totp_secret)}, REMOTE_ADDR="198.51.100.61"
        )

        assert response.status_code == 200  # the form again, with its error
        [event] = journal(account_events.TWO_FACTOR_FAILED)
        assert event.actor == rep_with_totp and event.ip == "198.51.100.61"
        assert (event.object_type, event.object_id) == ("accounts.user", str(rep_with_totp.pk))
        assert event.changes == {"type": "totp", "reauthentication": False}
        assert rep_with_totp.totp_secret not in str(event.changes)

    def test_codes_refused_by_the_lockout_are_journaled_as_a_lockout(self, client, rep_with_totp, persona_password):
        reach_the_code_step(client, rep_with_totp, persona_password)
        code = wrong_code(rep_with_totp.totp_secret)

        for _ in range(8):
            client.post(reverse("mfa_authenticate"), {"code": code})

        assert len(journal(account_events.TWO_FACTOR_FAILED)) == 5  # allauth checks 5 codes in 5 minutes
        [lockout] = journal(account_events.LOGIN_LOCKED_OUT)  # the next three, once a minute
        assert lockout.actor == rep_with_totp
        assert lockout.changes["stage"] == "2fa" and lockout.changes["email"] == rep_with_totp.email


# --- the password lockout and the per-IP 429 -----------------------------------------------------------------
class TestSignInRefusals:
    def test_a_sign_in_refused_by_the_lockout_is_journaled(self, client, rep_a, persona_password):
        for _ in range(5):
            login(client, "rep@alpha.example", "wrong-password", REMOTE_ADDR="203.0.113.9")
        assert not journal(account_events.LOGIN_LOCKED_OUT)

        response = login(client, "REP@alpha.example", persona_password, REMOTE_ADDR="203.0.113.9")

        assert response.status_code == 200 and "_auth_user_id" not in client.session
        [event] = journal(account_events.LOGIN_LOCKED_OUT)
        assert event.actor is None and event.ip == "203.0.113.9"
        assert (event.object_type, event.object_id) == ("accounts.user", str(rep_a.pk))
        assert event.changes == {
            "method": "POST",
            "path": reverse("account_login"),
            "email": "rep@alpha.example",
            "stage": "password",
        }
        assert persona_password not in str(event.changes)
        assert len(journal(account_events.LOGIN_FAILED)) == 5, "the refused attempt is not a checked failure"

    def test_hammering_a_locked_account_writes_one_entry_a_minute(self, client, rep_a):
        for _ in range(30):
            login(client, "rep@alpha.example", "wrong-password", REMOTE_ADDR="203.0.113.10")

        assert len(journal(account_events.LOGIN_LOCKED_OUT)) == 1

    def test_a_password_re_entry_refused_by_the_lockout_is_journaled_with_the_user(self, client_as, rep_a):
        client = client_as("rep_a")
        for _ in range(7):
            client.post(reverse("account_reauthenticate"), {"password": "wrong-password"})

        [event] = journal(account_events.LOGIN_LOCKED_OUT)
        assert event.actor == rep_a and event.changes["stage"] == "reauthentication"

    def test_the_per_ip_sign_in_limit_answers_a_translated_429_and_is_journaled(self, client, db):
        for number in range(30):
            login(client, f"nobody{number}@example.com", "x", REMOTE_ADDR="203.0.113.11")

        response = login(client, "nobody@example.com", "x", REMOTE_ADDR="203.0.113.11", HTTP_ACCEPT_LANGUAGE="ru")
        login(client, "nobody@example.com", "x", REMOTE_ADDR="203.0.113.11")

        assert response.status_code == 429
        assert "Слишком много попыток" in response.content.decode()
        [event] = journal(events.ACCESS_RATE_LIMITED)
        assert event.ip == "203.0.113.11" and event.changes["url_name"] == "account_login"


# --- CSRF -----------------------------------------------------------------------------------------------------
class TestCsrf:
    @pytest.mark.parametrize("language, text", [("ru", "Срок действия формы истёк"), ("en", "The form has expired")])
    def test_a_csrf_failure_gets_the_portals_translated_page_and_is_journaled(self, db, language, text):
        client = Client(enforce_csrf_checks=True)

        response = client.post(
            reverse("account_login"),
            {"login": "a@b.example", "password": "x"},
            REMOTE_ADDR="192.0.2.7",
            HTTP_ACCEPT_LANGUAGE=language,
        )

        assert response.status_code == 403
        assert text in response.content.decode()
        [event] = journal(events.ACCESS_CSRF_FAILED)
        assert event.ip == "192.0.2.7" and event.changes["reason"].startswith("CSRF cookie not set")

    def test_a_signed_in_users_csrf_failure_names_them(self, client_as, rep_a, settings):
        client = client_as("rep_a")
        client.handler.enforce_csrf_checks = True

        assert client.post(reverse("profile"), {"full_name": "X"}).status_code == 403

        [event] = journal(events.ACCESS_CSRF_FAILED)
        assert event.actor == rep_a


# --- 403/404 outside deny(), and exactly once ------------------------------------------------------------
@pytest.mark.urls(REFUSAL_URLS)
class TestDenialsOutsideThePolicy:
    def test_an_unknown_url_is_journaled_as_a_404(self, client, db):
        response = client.get("/no-such-page/", REMOTE_ADDR="192.0.2.8")

        assert response.status_code == 404
        [event] = journal(events.ACCESS_NOT_FOUND)
        assert event.actor is None and event.ip == "192.0.2.8" and event.object_text == "/no-such-page/"
        assert event.changes["reason"] == "no such URL"

    def test_an_http404_raised_by_a_view_is_journaled_with_the_user(self, client_as, rep_a):
        assert client_as("rep_a").get("/refusals/missing/").status_code == 404

        [event] = journal(events.ACCESS_NOT_FOUND)
        assert event.actor == rep_a
        assert event.changes["reason"] == "outside the access policy: Http404: No Lot matches the given query."

    def test_a_permission_denied_raised_by_a_view_is_journaled_as_a_403(self, client_as, rep_a):
        response = client_as("rep_a").get("/refusals/forbidden/")

        assert response.status_code == 403
        [event] = journal(events.ACCESS_FORBIDDEN)
        assert event.actor == rep_a and event.changes["status"] == 403
        assert event.changes["reason"] == "outside the access policy: PermissionDenied: a library said no"

    def test_a_denial_through_deny_is_journaled_once_not_again_by_the_handler(self, client_as, rep_a, no_throttle):
        assert client_as("rep_a").get("/refusals/denied/").status_code == 404

        [event] = journal(events.ACCESS_NOT_FOUND)
        assert event.changes["reason"] == "selector found nothing"

    def test_every_other_denial_is_journaled_once_too(self, client, db, no_throttle):
        client.get("/no-such-page/")

        assert len(journal(events.ACCESS_NOT_FOUND)) == 1


# --- the bound ------------------------------------------------------------------------------------------------
class TestFlood:
    def test_a_hundred_identical_404s_are_one_entry(self, client, db):
        for number in range(100):
            assert client.get("/wp-login.php", {"try": number}, REMOTE_ADDR="192.0.2.9").status_code == 404

        assert len(journal(events.ACCESS_NOT_FOUND)) == 1

    def test_the_same_path_from_another_ip_or_user_is_another_entry(self, client, client_as, rep_a):
        client.get("/wp-login.php", REMOTE_ADDR="192.0.2.10")
        client.get("/wp-login.php", REMOTE_ADDR="192.0.2.11")
        client_as("rep_a").get("/wp-login.php", REMOTE_ADDR="192.0.2.11")

        assert len(journal(events.ACCESS_NOT_FOUND)) == 3

    def test_a_scan_of_made_up_paths_is_bounded_per_source(self, client, db, monkeypatch):
        monkeypatch.setattr(throttle, "_clock", lambda: 6_000_000.0)  # one budget window, whatever the time
        for number in range(200):
            client.get(f"/scan-{number}/", REMOTE_ADDR="192.0.2.12")
        client.get("/scan-0/", REMOTE_ADDR="192.0.2.13")

        assert len(journal(events.ACCESS_NOT_FOUND)) == throttle.SOURCE_BUDGET + 1

    def test_the_next_minute_counts_again(self, client, db, monkeypatch):
        from django.core.cache import cache

        client.get("/wp-login.php", REMOTE_ADDR="192.0.2.14")
        cache.clear()  # what a minute does to the once-a-minute marks

        client.get("/wp-login.php", REMOTE_ADDR="192.0.2.14")

        assert len(journal(events.ACCESS_NOT_FOUND)) == 2

    @pytest.mark.parametrize(
        "backend", ["django.core.cache.backends.redis.RedisCache", "portal.cache.ResilientRedisCache"]
    )
    def test_with_the_cache_down_denials_are_answered_journaled_and_still_bounded(self, client, db, settings, backend):
        cache_settings = redis_cache_settings(f"redis://127.0.0.1:{free_port()}/0")
        cache_settings["BACKEND"] = backend
        settings.CACHES = {"default": cache_settings}
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"

        statuses = {client.get("/wp-login.php", REMOTE_ADDR="192.0.2.15").status_code for _ in range(100)}

        assert statuses == {404}
        assert len(journal(events.ACCESS_NOT_FOUND)) == 1

    def test_a_failing_journal_still_answers(self, client, db, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("database is on fire")

        monkeypatch.setattr("auditlog.hooks.record", broken)

        assert client.get("/no-such-page/").status_code == 404
        assert Client(enforce_csrf_checks=True).post(reverse("account_login")).status_code == 403


def test_no_authenticator_secret_or_password_is_journaled(client, rep_with_totp, persona_password):
    reach_the_code_step(client, rep_with_totp, persona_password)
    client.post(reverse("mfa_authenticate"), {"code": wrong_code(rep_with_totp.totp_secret)})

    everything = str(list(AuditEvent.objects.values_list("changes", "object_text")))
    assert persona_password not in everything and rep_with_totp.totp_secret not in everything
    assert Authenticator.objects.filter(user=rep_with_totp).count() == 1
