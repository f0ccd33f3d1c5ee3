"""Email delivery: queue, claim, send, record — so that no email is lost and none is sent twice.

The rules that must keep holding:
* A notification's email is only sent by whoever moved it from `pending` to `sending` (one UPDATE
  with the state in its WHERE clause), so a redelivered or duplicated task finds nothing to do.
* A claim older than NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS belongs to a worker that died; it may be
  taken over. The timeout must exceed the longest send (EMAIL_TIMEOUT) by a wide margin.
* `sent` is written right after the SMTP server accepted the message, in its own short statement.
  The one window left — the worker dies after the server's "250 OK" and before that UPDATE commits —
  sends that email again when the claim is taken over (at-least-once, never lost). Every copy carries
  the same Message-ID (`<notification-<id>.<created>@<host>>`), so a duplicate is recognisable.
* Nothing depends on the broker keeping a message: a pending email whose due time passed
  NOTIFICATIONS_SWEEP_AFTER_SECONDS ago, or a stale claim, is queued again by `sweep_pending_emails`
  (Celery beat, every NOTIFICATIONS_SWEEP_EVERY_SECONDS).
"""

from __future__ import annotations

import logging
import random
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from notifications import events
from notifications.context import load_context
from notifications.models import EmailState, Notification
from notifications.rendering import render_email

logger = logging.getLogger(__name__)


# One quick reconnect (a pooled connection may be stale after a broker restart), then give up: the
# default policy keeps a committed request waiting for seconds per message while the broker is down.
FAST_FAIL_PUBLISH = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def enqueue_emails(notification_ids: list[int]) -> int:
    """Queue one send task per id; returns how many were queued.

    Runs after commit. If the broker is down, the first failure stops the loop and the rest stay
    `pending` for the sweeper: the caller's transaction has committed and must not see an error.
    """
    from notifications.tasks import send_notification_email

    for queued, pk in enumerate(notification_ids):
        try:
            send_notification_email.apply_async((pk,), retry=True, retry_policy=FAST_FAIL_PUBLISH)
        except Exception:
            if send_notification_email.app.conf.task_always_eager:
                raise  # no broker involved: this is a bug in the task, let it surface
            logger.warning(
                "could not queue %d notification email(s) (broker unavailable?); the sweeper will retry",
                len(notification_ids) - queued,
                exc_info=True,
            )
            return queued
    return len(notification_ids)


@dataclass(frozen=True)
class Outcome:
    status: str  # sent | skipped | retry | failed
    retry_in: int | None = None


def _message_id(notification: Notification) -> str:
    host = urlsplit(settings.PORTAL_BASE_URL).hostname or "misty.example"
    return f"<notification-{notification.pk}.{int(notification.created_at.timestamp())}@{host}>"


def build_message(notification: Notification) -> EmailMultiAlternatives:
    event_type = events.get(notification.event)
    link = notification.link
    if event_type.email_link:
        link = import_string(event_type.email_link)(notification.recipient)
    rendered = render_email(
        event_type,
        recipient=notification.recipient,
        event_context=load_context(notification.context),
        link=link,
    )
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=rendered.sender,
        to=[notification.recipient.email],
        headers={
            "Message-ID": _message_id(notification),
            "Auto-Submitted": "auto-generated",
            "X-Misty-Notification": str(notification.pk),
            "X-Misty-Event": notification.event,
        },
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer will not change on retry; a dropped connection or a 4xx may."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def retry_delay(attempts: int) -> int:
    base = settings.NOTIFICATIONS_RETRY_BACKOFF_SECONDS
    delay = min(base * 2 ** max(attempts - 1, 0), settings.NOTIFICATIONS_RETRY_BACKOFF_MAX_SECONDS)
    return int(delay * random.uniform(0.8, 1.2))  # spread a burst of retries after an outage


def email_send(*, notification_id: int) -> Outcome:
    """Send one notification's email if it is still due; safe to call any number of times."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS)
    claimed = (
        Notification.objects.filter(pk=notification_id)
        .filter(Q(email_state=EmailState.PENDING) | Q(email_state=EmailState.SENDING, email_claimed_at__lt=stale))
        .update(email_state=EmailState.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1)
    )
    if not claimed:
        return Outcome("skipped")
    # Every later write names the claim, so a worker whose claim was taken over cannot overwrite the new owner.
    claim = Notification.objects.filter(pk=notification_id, email_state=EmailState.SENDING, email_claimed_at=now)
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)

    if not notification.recipient.is_active:
        claim.update(email_state=EmailState.NOT_WANTED, email_claimed_at=None, email_last_error="recipient blocked")
        return Outcome("skipped")
    try:
        message = build_message(notification)
    except Exception as exc:  # a template or context bug: retrying will not help, resend after the fix
        logger.exception("notification %s: email could not be rendered", notification_id)
        return _attempt_failed(claim, notification, exc, permanent=True)
    try:
        message.send()
    except Exception as exc:
        return _attempt_failed(claim, notification, exc, permanent=_is_permanent(exc))
    claim.update(email_state=EmailState.SENT, email_sent_at=timezone.now(), email_last_error="", email_claimed_at=None)
    return Outcome("sent")


def _attempt_failed(claim, notification: Notification, exc: Exception, *, permanent: bool) -> Outcome:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    attempts = notification.email_attempts
    if permanent or attempts > settings.NOTIFICATIONS_EMAIL_MAX_RETRIES:
        claim.update(email_state=EmailState.FAILED, email_last_error=error, email_claimed_at=None)
        logger.warning("notification %s: email failed after %d attempt(s): %s", notification.pk, attempts, error)
        return Outcome("failed")
    delay = retry_delay(attempts)
    claim.update(
        email_state=EmailState.PENDING,
        email_last_error=error,
        email_claimed_at=None,
        email_due_at=timezone.now() + timedelta(seconds=delay),
    )
    logger.info("notification %s: attempt %d failed (%s); retrying in %ss", notification.pk, attempts, error, delay)
    return Outcome("retry", retry_in=delay)


def sweep_pending_emails(*, now=None, limit: int = 1000) -> int:
    """Queue again what the broker may have lost: overdue pending emails and claims of dead workers."""
    now = now or timezone.now()
    overdue = Q(email_state=EmailState.PENDING) & (
        Q(email_due_at__lte=now - timedelta(seconds=settings.NOTIFICATIONS_SWEEP_AFTER_SECONDS))
        | Q(email_due_at__isnull=True)
    )
    abandoned = Q(
        email_state=EmailState.SENDING,
        email_claimed_at__lt=now - timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS),
    )
    ids = list(
        Notification.objects.filter(overdue | abandoned)
        .order_by("email_due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    # A re-queued email is not overdue again until another NOTIFICATIONS_SWEEP_AFTER_SECONDS pass,
    # so a long backlog is not queued once more on every sweep.
    Notification.objects.filter(pk__in=ids, email_state=EmailState.PENDING).update(email_due_at=now)
    queued = enqueue_emails(ids)
    logger.info("sweeper: %d overdue email(s), %d queued", len(ids), queued)
    return queued
