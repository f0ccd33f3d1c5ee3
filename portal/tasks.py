"""Tasks of the portal itself, not of one domain app.

`ping` is the worker round trip: whoever sends it learns that a worker took a job from the broker and could
write to the shared cache (Redis). `portal` is an installed app, so every worker's autodiscovery loads it.
"""

from celery import shared_task
from django.core.cache import cache

PING_TTL_SECONDS = 600


def ping_cache_key(token: str) -> str:
    return f"portal:ping:{token}"


@shared_task(name="portal.tasks.ping", ignore_result=True)
def ping(token: str) -> str:
    """Store `token` under `ping_cache_key(token)`. Idempotent: running it twice writes the same value."""
    cache.set(ping_cache_key(token), token, timeout=PING_TTL_SECONDS)
    return token
