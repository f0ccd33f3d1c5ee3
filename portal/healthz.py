"""`/healthz`: 200 with JSON when every dependency answers; 503 naming the ones that did not."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return the value just written")


def _check_broker():
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


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
            results[name] = f"error: {exc.__class__.__name__}"
            failed.append(name)
    status = 503 if failed else 200
    return JsonResponse({"status": "fail" if failed else "ok", "checks": results, "failed": failed}, status=status)
