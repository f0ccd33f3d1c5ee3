"""Celery tasks of the marketplace: thin wrappers around `offers.services` (STYLE.md rule 6)."""

from celery import shared_task

from offers import services


@shared_task(name="offers.tasks.close_expired_lots", ignore_result=True)
def close_expired_lots() -> int:
    """Beat, every night: close the lots whose validity ended (idempotent; `manage.py close_expired` too)."""
    return services.close_expired()
