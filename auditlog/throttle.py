"""How much of the journal one visitor can write: refusals (403, 404, CSRF, 429, lockouts) are recorded once
per minute per (event, source, path[, detail]) — 100 identical 404s are one entry — and at most
`SOURCE_BUDGET` a minute per source, so a scan of made-up paths cannot grow the table without bound either.

The source is the signed-in user, or the client IP for a visitor. The counting lives in the shared cache
(`add()` is atomic in Redis, so every gunicorn worker agrees). When the cache is unreachable the request
still gets its answer, and this process counts on its own in a small in-memory table (fail open: the
refusal is journaled, bounded per process rather than per deployment).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
SOURCE_BUDGET = 30  # refusals journaled per source per window
LOCAL_MAX_KEYS = 10_000

_clock = time.time
_local_lock = threading.Lock()
_local: dict[str, tuple[float, int]] = {}  # key -> (expires at, count)


def source_of(request) -> str:
    from auditlog.context import client_ip

    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return f"ip:{client_ip(request) or '-'}"


def should_record(*, event: str, source: str, path: str, detail: str = "") -> bool:
    """True for the first refusal of its kind in the window, while the source is within its budget."""
    digest = hashlib.sha256("\x1f".join((event, source, path, detail)).encode()).hexdigest()[:40]
    if not _first_in_window(f"auditlog:once:{digest}"):
        return False
    window = int(_clock() // WINDOW_SECONDS)
    source_digest = hashlib.sha256(source.encode()).hexdigest()[:40]
    count = _count(f"auditlog:budget:{source_digest}:{window}")
    if count == SOURCE_BUDGET + 1:
        logger.warning(
            "more than %d refusals a minute from %s: the rest of this minute is not journaled", SOURCE_BUDGET, source
        )
    return count <= SOURCE_BUDGET


def _cache_answers() -> bool:
    from portal.cache import cache_available

    return cache_available()


def _first_in_window(key: str) -> bool:
    try:
        if cache.add(key, 1, WINDOW_SECONDS):
            return True
        if _cache_answers():
            return False  # a real "already there"
    except Exception:
        logger.debug("throttle: the cache did not answer", exc_info=True)
    return _local_count(key) == 1


def _count(key: str) -> int:
    try:
        cache.add(key, 0, WINDOW_SECONDS * 2)
        return cache.incr(key)
    except Exception:
        return _local_count(key)


def _local_count(key: str) -> int:
    now = _clock()
    with _local_lock:
        if len(_local) >= LOCAL_MAX_KEYS:
            for stale in [k for k, (expires, _n) in _local.items() if expires <= now]:
                del _local[stale]
            if len(_local) >= LOCAL_MAX_KEYS:
                _local.clear()
        expires, count = _local.get(key, (0.0, 0))
        if expires <= now:
            expires, count = now + WINDOW_SECONDS, 0
        _local[key] = (expires, count + 1)
        return count + 1
