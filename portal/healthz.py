"""`/healthz`: 200 with JSON when every dependency answers; 503 naming the ones that did not.

Anyone can call it, so it says which dependency failed and nothing more (the reason goes to the log), and
it cannot be used to load the broker: the broker's answer is kept in this process for
BROKER_CHECK_SECONDS, and concurrent probes wait for one connection instead of opening their own.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

BROKER_CHECK_SECONDS = 5.0

_clock = time.monotonic
_broker_lock = threading.Lock()
_broker_answers: dict[str, tuple[float, bool]] = {}  # broker URL -> (monotonic time of the probe, answered)


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return the value just written")


def _probe_broker() -> bool:
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.warning("healthz: the broker did not answer", exc_info=True)
        return False
    return True


def _check_broker():
    url = str(settings.CELERY_BROKER_URL)
    with _broker_lock:
        probed_at, answered = _broker_answers.get(url, (float("-inf"), False))
        if _clock() - probed_at >= BROKER_CHECK_SECONDS:
            answered = _probe_broker()
            _broker_answers[url] = (_clock(), answered)
    if not answered:
        raise RuntimeError("the broker did not answer")


def checks():
    found = [("database", _check_database)]
    if settings.HEALTHZ_CHECK_CACHE:
        found.append(("cache", _check_cache))
    if settings.HEALTHZ_CHECK_BROKER:
        found.append(("broker", _check_broker))
    return found


@never_cache
@require_GET
def healthz(request):
    results, failed = {}, []
    for name, check in checks():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # any failure of a dependency is a 503, never a 500
            logger.warning("healthz: the %s check failed: %r", name, exc)
            results[name] = "error"
            failed.append(name)
    status = 503 if failed else 200
    return JsonResponse({"status": "fail" if failed else "ok", "checks": results, "failed": failed}, status=status)
