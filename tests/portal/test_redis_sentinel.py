"""REDIS_URL=sentinel://...?master=<name>: the cache and the Celery broker find the master through a real
Sentinel (private processes on free ports, tests/services.py), and the cache degrades when it is gone."""

import pytest
from kombu import Connection

from portal import cache as portal_cache
from portal.cache import ResilientRedisCache, celery_broker_settings, redis_cache_settings
from tests.services import PrivateRedis, PrivateSentinel

pytestmark = [pytest.mark.services]


@pytest.fixture
def sentinel(monkeypatch):
    monkeypatch.setattr(portal_cache, "_down_until", {})
    master = PrivateRedis()
    master.start()
    watcher = PrivateSentinel(master)
    try:
        watcher.start()
        yield watcher
    finally:
        watcher.stop()
        master.stop()


def backend_for(url: str) -> ResilientRedisCache:
    cache_settings = redis_cache_settings(url, key_prefix="portal")
    return ResilientRedisCache(cache_settings["LOCATION"], cache_settings)


def test_the_cache_reaches_the_master_the_sentinel_names(sentinel):
    backend = backend_for(sentinel.url(db=3))

    backend.set("greeting", "hello", 30)

    assert backend.get("greeting") == "hello"
    assert backend.is_available() is True
    import redis

    assert redis.Redis(port=sentinel.master.port, db=3).exists(backend.make_key("greeting"))


def test_the_broker_reaches_the_master_the_sentinel_names(sentinel):
    broker_url, transport_options = celery_broker_settings(sentinel.url())

    with Connection(broker_url, transport_options=transport_options) as connection:
        queue = connection.SimpleQueue("sentinel-test")
        queue.put({"n": 1})
        message = queue.get(timeout=5)
        message.ack()
        queue.close()

    assert message.payload == {"n": 1}


def test_the_cache_degrades_when_the_master_is_gone(sentinel):
    backend = backend_for(sentinel.url())
    backend.set("k", 1, 30)

    sentinel.master.stop()

    assert backend.get("k", "miss") == "miss"
    assert backend.add("k2", 1) is False
    assert backend.is_available() is False
