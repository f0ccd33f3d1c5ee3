"""Redis down must not take the portal down (portal/cache.py, cabinets/cache_guard.py).

"Down" here is the production cache configuration pointed at a port nothing listens on: every connection
is refused at once, no server is needed. tests/portal/test_cache_outage_real.py stops a real Redis.
"""

import logging

import pytest
from django.urls import reverse

from portal import cache as portal_cache
from portal.cache import (
    ResilientRedisCache,
    cache_available,
    celery_broker_settings,
    parse_sentinel_url,
    redis_cache_settings,
)
from tests.services import free_port

SIGN_IN_UNAVAILABLE = {
    "en": "Try again in a minute.",
    "ru": "Попробуйте ещё раз через минуту.",
}


def closed_redis_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture(autouse=True)
def no_outage_remembered(monkeypatch):
    """The outage state is per process; no test may inherit another's."""
    monkeypatch.setattr(portal_cache, "_down_until", {})


@pytest.fixture
def redis_down(settings):
    """Production's cache and session settings, with Redis unreachable."""
    settings.CACHES = {"default": redis_cache_settings(closed_redis_url(), key_prefix="portal")}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    settings.HEALTHZ_CHECK_CACHE = True
    settings.HEALTHZ_CHECK_BROKER = False
    return settings


class TestResilientRedisCache:
    def test_reads_miss_writes_do_nothing_and_add_answers_no(self):
        backend = ResilientRedisCache(closed_redis_url(), {})

        assert backend.get("k", "default") == "default"
        assert backend.set("k", 1) is None
        assert backend.add("k", 1) is False  # the closed answer: allauth's lock and the TOTP replay mark
        assert backend.get_many(["k"]) == {}
        assert backend.has_key("k") is False
        assert backend.delete("k") is False
        assert backend.set_many({"a": 1}) == ["a"]
        with pytest.raises(ValueError):
            backend.incr("k")
        assert backend.is_available() is False

    def test_one_warning_per_outage_and_no_connection_attempt_while_it_lasts(self, caplog, monkeypatch):
        backend = ResilientRedisCache(closed_redis_url(), {})
        attempts = []
        real_get = backend._cache.get
        monkeypatch.setattr(backend._cache, "get", lambda *a: attempts.append(1) or real_get(*a))

        with caplog.at_level(logging.WARNING, logger="portal.cache"):
            for _ in range(50):
                backend.get("k")

        assert len(attempts) == 1
        assert [r.getMessage() for r in caplog.records if r.name == "portal.cache"] == [caplog.records[0].getMessage()]
        assert "unreachable" in caplog.records[0].getMessage()

    def test_asks_again_after_retry_seconds(self, monkeypatch):
        now = [100.0]
        monkeypatch.setattr(portal_cache, "_clock", lambda: now[0])
        backend = ResilientRedisCache(closed_redis_url(), {"OPTIONS": {"retry_seconds": 3}})
        attempts = []
        real_get = backend._cache.get
        monkeypatch.setattr(backend._cache, "get", lambda *a: attempts.append(now[0]) or real_get(*a))

        backend.get("k")
        now[0] += 2.9
        backend.get("k")
        now[0] += 0.2
        backend.get("k")

        assert attempts == [100.0, pytest.approx(103.1)]

    def test_the_default_cache_of_the_tests_is_always_available(self):
        assert cache_available() is True


class TestRedisUrl:
    def test_a_plain_redis_url_is_used_as_it_is(self):
        url = "redis://:secret@redis:6379/0"

        assert parse_sentinel_url(url) is None
        assert redis_cache_settings(url)["LOCATION"] == url
        assert redis_cache_settings(url)["BACKEND"] == "portal.cache.ResilientRedisCache"
        assert celery_broker_settings(url) == (url, {})

    def test_a_sentinel_url_names_the_sentinels_the_master_and_the_database(self):
        url = "sentinel://:p%40ss@10.0.0.1:26379,10.0.0.2:26380/2?master=portal-redis"

        cache_settings = redis_cache_settings(url, key_prefix="portal")
        broker_url, transport_options = celery_broker_settings(url)

        assert cache_settings["LOCATION"] == ["10.0.0.1:26379", "10.0.0.2:26380"]
        assert cache_settings["OPTIONS"]["sentinel_master"] == "portal-redis"
        assert cache_settings["OPTIONS"]["db"] == 2
        assert cache_settings["OPTIONS"]["password"] == "p@ss"
        assert broker_url == "sentinel://:p%40ss@10.0.0.1:26379/2;sentinel://:p%40ss@10.0.0.2:26380/2"
        assert transport_options == {"master_name": "portal-redis"}

    @pytest.mark.parametrize(
        "url", ["sentinel://10.0.0.1:26379/0", "sentinel:///0?master=m", "sentinel://h:1/x?master=m"]
    )
    def test_an_incomplete_sentinel_url_is_refused(self, url):
        with pytest.raises(ValueError, match="master="):
            parse_sentinel_url(url)


class TestPortalWithRedisDown:
    def test_signed_in_pages_and_the_bell_keep_working(self, redis_down, client_as, project_a):
        client = client_as("rep_a")

        assert client.get(reverse("cabinet:dashboard", kwargs={"project_slug": project_a.slug})).status_code == 200
        assert client.get(reverse("notifications:bell")).status_code == 200
        assert client.get(reverse("notifications:list")).status_code == 200
        assert client_as("admin").get(reverse("staff:dashboard")).status_code == 200

    @pytest.mark.parametrize("language", ["ru", "en"])
    def test_signing_in_fails_closed_with_a_translated_503(self, redis_down, client, rep_a, persona_password, language):
        response = client.post(
            reverse("account_login"),
            {"login": rep_a.email, "password": persona_password},
            HTTP_ACCEPT_LANGUAGE=language,
        )

        assert response.status_code == 503
        assert SIGN_IN_UNAVAILABLE[language] in response.content.decode()
        assert f'<html lang="{language}">' in response.content.decode()
        assert response["Retry-After"] == "60"
        assert "_auth_user_id" not in client.session

    def test_the_login_page_itself_still_opens(self, redis_down, client, db):
        assert client.get(reverse("account_login")).status_code == 200

    @pytest.mark.parametrize("url_name", ["account_change_password", "mfa_activate_totp", "account_reauthenticate"])
    def test_every_password_or_code_check_fails_closed(self, redis_down, client_as, url_name):
        response = client_as("rep_a").post(reverse(url_name), {"code": "123456", "password": "x", "oldpassword": "x"})

        assert response.status_code == 503

    def test_the_reset_request_fails_closed(self, redis_down, client, db):
        response = client.post(reverse("account_reset_password"), {"email": "rep@alpha.example"})

        assert response.status_code == 503

    def test_signing_out_still_works(self, redis_down, client_as):
        client = client_as("rep_a")

        response = client.post(reverse("account_logout"))

        assert response.status_code == 302
        assert client.get(reverse("notifications:bell")).status_code == 302  # to the login page

    def test_healthz_names_the_cache(self, redis_down, client, db):
        response = client.get("/healthz")

        assert response.status_code == 503
        assert response.json()["failed"] == ["cache"]
