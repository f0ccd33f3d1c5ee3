"""A task sent through Redis is executed by a real `celery worker` process, not eagerly in the test."""

import os
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

from portal.tasks import ping, ping_cache_key
from tests.services import (
    celery_sends_to,
    redis_url_or_skip,
    running_celery_worker,
    stop_worker,
    unique_queue_name,
    wait_for,
    worker_log,
)

pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def worker():
    """One real worker for this module, on Redis DB /14 and a queue no other run uses."""
    redis_url = redis_url_or_skip()
    queue = unique_queue_name("ping")
    with running_celery_worker(env_overrides={"REDIS_URL": redis_url}, queues=[queue]) as proc:
        yield {"proc": proc, "redis_url": redis_url, "queue": queue}


def _worker_cache(redis_url):
    """The cache exactly as the worker's settings (portal.settings.worker_test) configure it."""
    return RedisCache(redis_url, {})


def test_task_sent_with_delay_is_executed_by_the_real_worker(worker):
    token = uuid.uuid4().hex
    cache = _worker_cache(worker["redis_url"])

    with celery_sends_to(broker_url=worker["redis_url"], queue=worker["queue"]):
        ping.delay(token)

    seen = wait_for(lambda: cache.get(ping_cache_key(token)), timeout=30, message="the worker never ran ping")
    assert seen == token
    assert "Task portal.tasks.ping[" in worker_log(worker["proc"])
    assert worker["proc"].poll() is None, "the worker must still be running"
    cache.delete(ping_cache_key(token))


def test_sending_reaches_the_worker_even_when_app_conf_pins_eager_mode(worker):
    """A value written into `app.conf` (e.g. by a monkeypatch's undo) shadows Django settings for the rest of
    the process; `celery_sends_to` must still send for real, and put that value back afterwards."""
    from portal.celery import app

    token = uuid.uuid4().hex
    cache = _worker_cache(worker["redis_url"])
    app.conf.broker_url  # noqa: B018 — load the configuration
    changes = app.conf.changes
    before = changes.get("task_always_eager", "absent")
    changes["task_always_eager"] = True
    try:
        with celery_sends_to(broker_url=worker["redis_url"], queue=worker["queue"]):
            ping.delay(token)
        assert (
            wait_for(lambda: cache.get(ping_cache_key(token)), timeout=30, message="the worker never ran ping") == token
        )
        assert changes["task_always_eager"] is True
    finally:
        changes.pop("task_always_eager", None)
        if before != "absent":
            changes["task_always_eager"] = before
    cache.delete(ping_cache_key(token))


def test_task_sent_without_a_worker_context_stays_eager(worker):
    """Outside `celery_sends_to` the test settings are eager again: nothing leaks into the real broker."""
    token = uuid.uuid4().hex
    cache = _worker_cache(worker["redis_url"])

    ping.delay(token)

    from django.core.cache import cache as local_cache

    assert local_cache.get(ping_cache_key(token)) == token  # ran here, in-process
    assert cache.get(ping_cache_key(token)) is None


def test_stop_worker_ends_the_worker_process():
    redis_url = redis_url_or_skip()
    queue = unique_queue_name("stop")
    with running_celery_worker(env_overrides={"REDIS_URL": redis_url}, queues=[queue]) as proc:
        pid = proc.pid
    assert proc.returncode is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert stop_worker(proc) == proc.returncode  # a second stop is harmless
