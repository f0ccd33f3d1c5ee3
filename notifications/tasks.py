"""Celery tasks: thin wrappers that take ids and call `notifications.delivery` (STYLE.md rule 6)."""

from celery import shared_task

from notifications import delivery


@shared_task(
    bind=True,
    name="notifications.tasks.send_notification_email",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
    ignore_result=True,
)
def send_notification_email(self, notification_id: int) -> str:
    """Idempotent: a second run for the same id (redelivery, sweeper, duplicate) sends nothing."""
    outcome = delivery.email_send(notification_id=notification_id)
    if outcome.status == "retry":
        if self.request.is_eager:
            # Run in-process (local settings, tests): no broker holds a delayed retry and the caller must
            # not see the SMTP error. The row says pending with its due time; the sweeper retries it.
            return outcome.status
        # If this retry message is lost too, the row still says pending/due-at and the sweeper re-queues it.
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="notifications.tasks.sweep_pending_emails", ignore_result=True)
def sweep_pending_emails() -> int:
    return delivery.sweep_pending_emails()
