"""The cache may go away; the portal must not go with it.

`ResilientRedisCache` is Django's RedisCache, except when Redis cannot be reached (connection refused or
timed out, no master known to Sentinel): then a read is a miss, a write does nothing and `add()` answers
False — the closed answer for everything that uses it as a lock or a "seen before" mark (allauth's
rate-limit lock, the TOTP replay guard). It logs one warning when Redis goes away and one when it is back,
and for `retry_seconds` (OPTIONS, default 5) after a failure no request in this process waits on Redis.

What that means for the portal while Redis is down:
* pages keep working: nothing a page shows lives only in the cache (sessions are in the database);
* signing in and everything else that checks a password or a code fails closed: allauth's rate limits
  cannot count, so `cabinets.cache_guard` answers those POSTs with 503 instead of letting them run
  unlimited (`cache_available()` is the flag it consults);
* `/healthz` names the cache.

OPTIONS["sentinel_master"] switches to Redis Sentinel: LOCATION then lists the Sentinels ("host:port"),
and every command goes to the master they name (`SentinelCacheClient`). Production builds both the cache
and the Celery broker settings from one REDIS_URL (`redis_cache_settings`, `celery_broker_settings`):
    redis://[:password@]host:6379/0                                 one Redis
    sentinel://[:password@]host:26379,host2:26379/0?master=<name>   the master Sentinel names (failover)
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)  # MasterNotFoundError is a ConnectionError
DEFAULT_RETRY_SECONDS = 5.0

_clock = time.monotonic
_lock = threading.Lock()
# Django gives every thread its own backend instance: the outage is remembered per LOCATION, for all of them.
_down_until: dict[str, float] = {}


# A cache call must never hold a request for long: a Redis that does not answer within a second is down.
SOCKET_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}


@dataclass(frozen=True)
class SentinelAddress:
    sentinels: tuple[str, ...]  # "host:port"
    master: str
    db: int
    password: str


def parse_sentinel_url(url: str) -> SentinelAddress | None:
    """`sentinel://[:password@]host:port[,host:port...][/db]?master=<name>`; None for any other scheme."""
    parts = urlsplit(url)
    if parts.scheme != "sentinel":
        return None
    credentials, _, hosts = parts.netloc.rpartition("@")
    password = unquote(credentials.partition(":")[2])
    sentinels = tuple(host.strip() for host in hosts.split(",") if host.strip())
    master = (parse_qs(parts.query).get("master") or [""])[0]
    db = parts.path.strip("/") or "0"
    if not sentinels or not master or not db.isdigit():
        raise ValueError("REDIS_URL: write sentinel://[:password@]host:26379[,host2:26379][/db]?master=<name>")
    return SentinelAddress(sentinels=sentinels, master=master, db=int(db), password=password)


def redis_cache_settings(url: str, *, key_prefix: str = "") -> dict:
    """The CACHES entry for REDIS_URL (either form): the resilient backend, short socket timeouts."""
    sentinel = parse_sentinel_url(url)
    if sentinel is None:
        return {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": key_prefix,
            "OPTIONS": dict(SOCKET_OPTIONS),
        }
    options = {"sentinel_master": sentinel.master, "db": sentinel.db, **SOCKET_OPTIONS}
    if sentinel.password:
        options["password"] = sentinel.password
    return {
        "BACKEND": "portal.cache.ResilientRedisCache",
        "LOCATION": list(sentinel.sentinels),
        "KEY_PREFIX": key_prefix,
        "OPTIONS": options,
    }


def celery_broker_settings(url: str) -> tuple[str, dict]:
    """(broker URL, extra broker transport options) for REDIS_URL: kombu spells Sentinel its own way."""
    sentinel = parse_sentinel_url(url)
    if sentinel is None:
        return url, {}
    credentials = f":{quote(sentinel.password, safe='')}@" if sentinel.password else ""
    broker_url = ";".join(f"sentinel://{credentials}{address}/{sentinel.db}" for address in sentinel.sentinels)
    return broker_url, {"master_name": sentinel.master}


def cache_available(alias: str = "default") -> bool:
    """Whether the cache answers now. Backends that cannot be down (locmem) always do."""
    check = getattr(caches[alias], "is_available", None)
    return True if check is None else check()


class SentinelCacheClient(RedisCacheClient):
    """Django's Redis client whose servers are Sentinels; it talks to the master they name (and follows a
    failover). The other connection options (db, password, socket timeouts) are the master's."""

    def __init__(self, servers, *, master_name: str, **options):
        super().__init__(servers, **options)
        self._master_name = master_name

    def _get_connection_pool(self, write):
        if 0 not in self._pools:
            from redis.sentinel import Sentinel, SentinelConnectionPool

            sentinels = [_host_port(server) for server in self._servers]
            socket_options = {k: v for k, v in self._pool_options.items() if k.startswith("socket_")}
            manager = Sentinel(sentinels, sentinel_kwargs=socket_options)
            self._pools[0] = SentinelConnectionPool(self._master_name, manager, **self._pool_options)
        return self._pools[0]


def _host_port(server: str) -> tuple[str, int]:
    server = server.strip().removeprefix("sentinel://").split("/", 1)[0]
    host, _, port = server.rpartition(":")
    return (host.strip("[]"), int(port)) if host else (server, 26379)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        master_name = options.pop("sentinel_master", None)
        self.retry_seconds = float(options.pop("retry_seconds", DEFAULT_RETRY_SECONDS))
        params["OPTIONS"] = options
        super().__init__(server, params)
        if master_name:
            self._class = functools.partial(SentinelCacheClient, master_name=master_name)
        self._outage_key = f"{master_name or ''}@{server}"

    # --- the outage state -------------------------------------------------------------------------------
    def _skipping(self) -> bool:
        return _clock() < _down_until.get(self._outage_key, 0.0)

    def _went_down(self, exc: Exception) -> None:
        with _lock:
            was_down = self._outage_key in _down_until
            _down_until[self._outage_key] = _clock() + self.retry_seconds
        if not was_down:
            logger.warning("the cache (Redis) is unreachable, serving without it: %r", exc)

    def _answered(self) -> None:
        if self._outage_key in _down_until:
            with _lock:
                came_back = _down_until.pop(self._outage_key, None) is not None
            if came_back:
                logger.info("the cache (Redis) answers again")

    def _guarded(self, fallback, operation, *args, **kwargs):
        if self._skipping():
            return fallback
        try:
            result = operation(*args, **kwargs)
        except UNREACHABLE as exc:
            self._went_down(exc)
            return fallback
        self._answered()
        return result

    def is_available(self) -> bool:
        """Asks Redis (PING) unless it failed less than `retry_seconds` ago."""
        if self._skipping():
            return False
        return bool(self._guarded(False, lambda: self._cache.get_client(None, write=True).ping()))

    # --- the cache API: every operation degrades --------------------------------------------------------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guarded({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._guarded(missing, super().incr, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        self._guarded(None, super().delete_many, keys, version)

    def clear(self):
        return self._guarded(False, super().clear)
