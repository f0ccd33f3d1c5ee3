"""`/healthz`: 200 with JSON when every checked dependency answers, 503 naming the one that did not.

A dependency that is down is simulated by pointing it at a port nothing listens on.
"""

import pytest
from django.db import OperationalError

from tests.services import free_port

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "healthz"}}


def closed_redis_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


@pytest.fixture
def check_everything(settings):
    """What production turns on: the cache and the broker are checked too (here: both working, in-process)."""
    settings.HEALTHZ_CHECK_CACHE = True
    settings.HEALTHZ_CHECK_BROKER = True
    settings.CACHES = LOCAL_CACHE
    settings.CELERY_BROKER_URL = "memory://"
    return settings


@pytest.mark.django_db
def test_healthz_is_200_json_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}, "failed": []}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_200_when_database_cache_and_broker_all_answer(client, check_everything):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_naming_the_cache_when_the_cache_is_down(client, check_everything):
    check_everything.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": closed_redis_url()}
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failed"] == ["cache"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] == "ok"
    assert body["checks"]["cache"] == "error"


@pytest.mark.django_db
def test_healthz_is_503_naming_the_broker_when_the_broker_is_down(client, check_everything):
    check_everything.CELERY_BROKER_URL = closed_redis_url()

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["broker"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"] == "error"


@pytest.mark.django_db
def test_healthz_is_503_naming_every_dependency_that_is_down(client, check_everything):
    check_everything.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": closed_redis_url()}
    }
    check_everything.CELERY_BROKER_URL = closed_redis_url()

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["cache", "broker"]


@pytest.mark.django_db
def test_healthz_is_503_naming_the_database_when_it_does_not_answer(client, monkeypatch):
    from portal import healthz

    class _DownConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(healthz, "connection", _DownConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "fail",
        "checks": {"database": "error"},
        "failed": ["database"],
    }


def test_healthz_does_not_check_cache_or_broker_unless_told(client, settings, monkeypatch):
    """Locally nothing but the database is needed, so a missing Redis must not turn /healthz red."""
    from portal import healthz

    settings.HEALTHZ_CHECK_CACHE = False
    settings.HEALTHZ_CHECK_BROKER = False
    settings.CELERY_BROKER_URL = closed_redis_url()
    monkeypatch.setattr(healthz, "_check_database", lambda: None)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok"}


@pytest.mark.django_db
def test_healthz_accepts_only_get(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_names_what_failed_but_not_why(client, check_everything):
    """The exception class (and so the driver, the library, the kind of failure) is for the log, not for anyone."""
    check_everything.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": closed_redis_url()}
    }
    check_everything.CELERY_BROKER_URL = closed_redis_url()

    response = client.get("/healthz")

    body = response.content.decode()
    assert response.json()["checks"] == {"database": "ok", "cache": "error", "broker": "error"}
    assert "Error" not in body and "redis" not in body.lower()


@pytest.mark.django_db
def test_healthz_opens_the_broker_connection_at_most_once_in_a_few_seconds(client, check_everything, monkeypatch):
    from portal import healthz

    probes = []
    monkeypatch.setattr(healthz, "_probe_broker", lambda: probes.append(1) or True)
    monkeypatch.setattr(healthz, "_broker_answers", {})
    now = [1000.0]
    monkeypatch.setattr(healthz, "_clock", lambda: now[0])

    for _ in range(50):
        assert client.get("/healthz").status_code == 200
    assert len(probes) == 1

    now[0] += healthz.BROKER_CHECK_SECONDS
    assert client.get("/healthz").status_code == 200
    assert len(probes) == 2


@pytest.mark.django_db
def test_healthz_keeps_a_broker_failure_for_the_same_few_seconds(client, check_everything, monkeypatch):
    from portal import healthz

    probes = []
    monkeypatch.setattr(healthz, "_probe_broker", lambda: probes.append(1) and False)
    monkeypatch.setattr(healthz, "_broker_answers", {})

    statuses = [client.get("/healthz").status_code for _ in range(20)]

    assert statuses == [503] * 20
    assert len(probes) == 1
