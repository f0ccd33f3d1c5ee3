"""Celery tasks: thin wrappers around `projects.brochure` (STYLE.md rule 6)."""

from celery import shared_task

from notifications.delivery import retry_delay
from projects import brochure


@shared_task(
    bind=True,
    name="projects.tasks.build_catalog_brochure",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    ignore_result=True,
)
def build_catalog_brochure(self, *, language: str) -> str:
    """Build the current catalog's brochure in `language`. Idempotent: a stored version is not rendered again."""
    try:
        return brochure.brochure_build(language=language)
    except OSError as exc:  # the storage (S3) failing for a moment
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries + 1)) from exc
