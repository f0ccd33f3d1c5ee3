"""A real Redis goes away under production's cache settings, and comes back (portal/cache.py).

The Redis is a PRIVATE `redis-server` on a free port (tests/services.py::PrivateRedis), stopped and started
here; the shared Redis on 6379 is never touched. The cache, the rate limits, the TOTP replay guard and the
broker all point at it, and sessions are in the database, as in production.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from portal import cache as portal_cache
from portal.cache import redis_cache_settings
from tests.services import PrivateRedis, wait_for

pytestmark = [pytest.mark.services]

RETRY_SECONDS = 1


@pytest.fixture
def redis():
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def production_cache(settings, redis, monkeypatch):
    monkeypatch.setattr(portal_cache, "_down_until", {})
    cache_settings = redis_cache_settings(redis.url, key_prefix="portal")
    cache_settings["OPTIONS"]["retry_seconds"] = RETRY_SECONDS
    settings.CACHES = {"default": cache_settings}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    settings.HEALTHZ_CHECK_CACHE = True
    settings.HEALTHZ_CHECK_BROKER = True
    settings.CELERY_BROKER_URL = redis.url
    return settings


def sign_in(user, password) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_with_redis_stopped_pages_work_sign_in_answers_503_and_healthz_names_the_cache(
    production_cache, redis, rep_a, rep_b, project_a, persona_password
):
    signed_in = sign_in(rep_a, persona_password)  # the rate limits really counted in this Redis
    assert any(key.startswith(b"portal:") for key in _redis_keys(redis))
    dashboard = reverse("cabinet:dashboard", kwargs={"project_slug": project_a.slug})

    redis.stop()

    assert signed_in.get(dashboard).status_code == 200
    assert signed_in.get(reverse("notifications:bell")).status_code == 200
    refused = Client(HTTP_ACCEPT_LANGUAGE="ru").post(
        reverse("account_login"), {"login": rep_b.email, "password": persona_password}
    )
    assert refused.status_code == 503
    assert "Вход временно недоступен" in refused.content.decode()
    health = Client().get("/healthz")
    assert health.status_code == 503
    assert "cache" in health.json()["failed"]

    redis.start()  # the same port, empty: a restarted Redis without persistence

    def signs_in_again():
        response = Client().post(reverse("account_login"), {"login": rep_b.email, "password": persona_password})
        return response.status_code == 302

    wait_for(signs_in_again, timeout=RETRY_SECONDS + 5, message="sign-in after Redis came back")
    assert Client().get("/healthz").json()["checks"]["cache"] == "ok"  # the broker's answer is kept for 5 s
    assert signed_in.get(dashboard).status_code == 200


def test_a_wrong_password_during_the_outage_is_not_checked_at_all(production_cache, redis, rep_a):
    """Fail closed: without the cache allauth could not count failures, so nothing is checked."""
    redis.stop()

    response = Client().post(reverse("account_login"), {"login": rep_a.email, "password": "guess-1"})

    assert response.status_code == 503
    from auditlog.models import AuditEvent

    assert not AuditEvent.objects.filter(event="accounts.login_failed").exists()


def test_the_outage_is_logged_once_and_no_call_waits_on_redis(production_cache, redis, caplog):
    redis.stop()

    with caplog.at_level("WARNING", logger="portal.cache"):
        for _ in range(100):
            cache.get("anything")
            cache.set("anything", 1)

    assert len([r for r in caplog.records if r.name == "portal.cache"]) == 1


def _redis_keys(redis: PrivateRedis) -> list[bytes]:
    import redis as redis_lib

    return redis_lib.Redis(port=redis.port).keys("*")
