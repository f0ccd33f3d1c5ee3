"""Celery tasks: thin wrappers around `accounts.emails` (STYLE.md rule 6)."""

import logging
import smtplib

from celery import shared_task

from accounts import emails
from notifications.delivery import retry_delay

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="accounts.tasks.send_account_email",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
    ignore_result=True,
)
def send_account_email(self, *, template_prefix: str, email: str, user_id: int | None, context: dict) -> bool:
    try:
        return emails.account_email_send(template_prefix=template_prefix, email=email, user_id=user_id, context=context)
    except (smtplib.SMTPException, OSError) as exc:
        if self.request.is_eager:
            # In-process (local settings, tests): nobody holds a retry, and the request that queued this must
            # not fail — an error for existing accounts only would tell who has one.
            logger.warning("account email %s failed: %s", template_prefix, exc)
            return False
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries + 1)) from exc


@shared_task(
    bind=True,
    name="accounts.tasks.send_access_request_email",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
    ignore_result=True,
)
def send_access_request_email(self, *, access_request_id: int, template_prefix: str) -> bool:
    try:
        return emails.access_request_email_send(access_request_id=access_request_id, template_prefix=template_prefix)
    except (smtplib.SMTPException, OSError) as exc:
        if self.request.is_eager:
            logger.warning("access request email %s failed: %s", template_prefix, exc)
            return False
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries + 1)) from exc
