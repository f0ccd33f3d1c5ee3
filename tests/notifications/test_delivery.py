"""Email delivery: idempotent sends, retries with backoff then failed, and the sweeper."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from accounts.models import UserStatus
from notifications import delivery
from notifications.models import EmailState, Notification
from notifications.tasks import send_notification_email, sweep_pending_emails
from tests.notifications.conftest import CONTEXTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(rep_a, django_capture_on_commit_callbacks):
    """A notification for rep A whose email is pending (its task was never queued: the broker 'lost' it)."""
    from notifications import notify

    def make(event="offers.lot.approved", recipient=None):
        with django_capture_on_commit_callbacks(execute=False):
            (n,) = notify(recipients=[recipient or rep_a], event=event, context=CONTEXTS[event])
        return n

    return make


def _age(notification, **delta):
    """Pretend the email became due `delta` ago."""
    Notification.objects.filter(pk=notification.pk).update(email_due_at=timezone.now() - datetime.timedelta(**delta))


def test_task_run_twice_for_the_same_notification_sends_one_email(pending):
    n = pending()
    assert send_notification_email.apply(args=(n.pk,)).get() == "sent"
    assert send_notification_email.apply(args=(n.pk,)).get() == "skipped"
    assert len(mail.outbox) == 1
    n.refresh_from_db()
    assert n.email_state == EmailState.SENT and n.email_attempts == 1


def test_email_claimed_by_a_live_worker_is_not_sent_by_another(pending):
    n = pending()
    Notification.objects.filter(pk=n.pk).update(email_state=EmailState.SENDING, email_claimed_at=timezone.now())
    assert delivery.email_send(notification_id=n.pk).status == "skipped"
    assert mail.outbox == []


def test_claim_of_a_dead_worker_is_taken_over_after_the_timeout(pending, settings):
    n = pending()
    stale = timezone.now() - datetime.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS + 1)
    Notification.objects.filter(pk=n.pk).update(
        email_state=EmailState.SENDING, email_claimed_at=stale, email_attempts=1
    )
    assert delivery.email_send(notification_id=n.pk).status == "sent"
    n.refresh_from_db()
    assert n.email_state == EmailState.SENT and n.email_attempts == 2 and len(mail.outbox) == 1


def test_a_worker_whose_claim_was_taken_over_cannot_overwrite_the_new_owner(pending, monkeypatch):
    """The slow worker finishes after another took its claim over: its 'failed' must not land."""
    n = pending()

    def slow_send(message, fail_silently=False):
        Notification.objects.filter(pk=n.pk).update(email_claimed_at=timezone.now() + datetime.timedelta(seconds=1))
        raise smtplib.SMTPServerDisconnected("too slow")

    monkeypatch.setattr(EmailMultiAlternatives, "send", slow_send)
    delivery.email_send(notification_id=n.pk)
    n.refresh_from_db()
    assert n.email_state == EmailState.SENDING and n.email_last_error == ""


def test_transient_failure_is_retried_five_times_then_marked_failed(pending, monkeypatch):
    n = pending()
    attempts = []

    def smtp_down(message, fail_silently=False):
        attempts.append(message.extra_headers["Message-ID"])
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", smtp_down)
    outcomes = [send_notification_email.apply(args=(n.pk,)).get() for _ in range(7)]  # the retries, one by one

    n.refresh_from_db()
    assert outcomes == ["retry"] * 5 + ["failed", "skipped"]
    assert len(attempts) == 6, "one try and at most 5 retries"
    assert len(set(attempts)) == 1, "every attempt carries the same Message-ID"
    assert n.email_state == EmailState.FAILED and n.email_attempts == 6
    assert n.email_last_error == "SMTPServerDisconnected: Connection unexpectedly closed"


def test_failure_then_success_sends_once(pending, monkeypatch):
    n = pending()
    real_send = EmailMultiAlternatives.send
    calls = []

    def flaky(message, fail_silently=False):
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionRefusedError(111, "Connection refused")
        return real_send(message, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    for _ in range(4):
        send_notification_email.apply(args=(n.pk,))
    n.refresh_from_db()
    assert n.email_state == EmailState.SENT and n.email_attempts == 3 and n.email_last_error == ""
    assert len(mail.outbox) == 1


def test_worker_task_asks_celery_for_a_delayed_retry(pending, monkeypatch):
    from celery.exceptions import Retry

    n = pending()
    monkeypatch.setattr(
        EmailMultiAlternatives, "send", lambda *a, **k: (_ for _ in ()).throw(TimeoutError("timed out"))
    )
    monkeypatch.setattr(delivery, "retry_delay", lambda attempts: 42)
    asked = []

    def retry(**kwargs):
        asked.append(kwargs)
        return Retry("retry", when=kwargs["countdown"])

    monkeypatch.setattr(send_notification_email, "retry", retry)
    with pytest.raises(Retry):
        send_notification_email.run(n.pk)  # as a worker runs it (not eager)
    assert asked == [{"countdown": 42}]


def test_eager_task_leaves_the_retry_to_the_sweeper_and_does_not_raise(pending, monkeypatch):
    n = pending()
    monkeypatch.setattr(
        EmailMultiAlternatives, "send", lambda *a, **k: (_ for _ in ()).throw(TimeoutError("timed out"))
    )
    assert send_notification_email.apply(args=(n.pk,)).get() == "retry"
    n.refresh_from_db()
    assert (
        n.email_state == EmailState.PENDING
        and n.email_attempts == 1
        and n.email_last_error == "TimeoutError: timed out"
    )


def test_retry_waits_longer_each_time_and_records_when_it_is_due(pending, monkeypatch, settings):
    settings.NOTIFICATIONS_RETRY_BACKOFF_SECONDS = 30
    monkeypatch.setattr(delivery.random, "uniform", lambda a, b: 1.0)
    assert [delivery.retry_delay(a) for a in range(1, 7)] == [30, 60, 120, 240, 480, 960]
    settings.NOTIFICATIONS_RETRY_BACKOFF_SECONDS = 600
    assert delivery.retry_delay(5) == settings.NOTIFICATIONS_RETRY_BACKOFF_MAX_SECONDS

    n = pending()
    monkeypatch.setattr(
        EmailMultiAlternatives, "send", lambda *a, **k: (_ for _ in ()).throw(TimeoutError("timed out"))
    )
    before = timezone.now()
    outcome = delivery.email_send(notification_id=n.pk)
    n.refresh_from_db()
    assert outcome.status == "retry" and outcome.retry_in == 600
    assert n.email_state == EmailState.PENDING and n.email_due_at >= before + datetime.timedelta(seconds=600)


def test_permanent_smtp_refusal_fails_at_once(pending, monkeypatch):
    n = pending()

    def refused(message, fail_silently=False):
        raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"5.1.1 No such user")})

    monkeypatch.setattr(EmailMultiAlternatives, "send", refused)
    send_notification_email.apply(args=(n.pk,))
    n.refresh_from_db()
    assert n.email_state == EmailState.FAILED and n.email_attempts == 1 and "No such user" in n.email_last_error


def test_email_that_cannot_be_rendered_fails_at_once_without_sending(pending):
    n = pending()
    Notification.objects.filter(pk=n.pk).update(context={})  # lot_title lost: the template shows nothing...
    Notification.objects.filter(pk=n.pk).update(event="offers.lot.exploded")  # ...and this event does not exist
    send_notification_email.apply(args=(n.pk,))
    n.refresh_from_db()
    assert n.email_state == EmailState.FAILED and n.email_attempts == 1 and "LookupError" in n.email_last_error
    assert mail.outbox == []


def test_recipient_blocked_before_the_send_gets_no_email(pending, rep_a):
    n = pending()
    rep_a.status = UserStatus.BLOCKED
    rep_a.save()
    send_notification_email.apply(args=(n.pk,))
    n.refresh_from_db()
    assert n.email_state == EmailState.NOT_WANTED and mail.outbox == []


def test_sweeper_queues_overdue_pending_emails_and_abandoned_claims_only(pending, make_rep, settings):
    settings.NOTIFICATIONS_SWEEP_AFTER_SECONDS = 300
    settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = 600
    overdue = pending(recipient=make_rep(email="overdue@x.example"))
    _age(overdue, seconds=301)
    pending(recipient=make_rep(email="fresh@x.example"))  # fresh: its task may still be in the queue
    backing_off = pending(recipient=make_rep(email="later@x.example"))
    Notification.objects.filter(pk=backing_off.pk).update(email_due_at=timezone.now() + datetime.timedelta(minutes=2))
    abandoned = pending(recipient=make_rep(email="abandoned@x.example"))
    Notification.objects.filter(pk=abandoned.pk).update(
        email_state=EmailState.SENDING, email_claimed_at=timezone.now() - datetime.timedelta(seconds=601)
    )
    busy = pending(recipient=make_rep(email="busy@x.example"))
    Notification.objects.filter(pk=busy.pk).update(email_state=EmailState.SENDING, email_claimed_at=timezone.now())

    assert sweep_pending_emails.apply().get() == 2

    assert sorted(m.to[0] for m in mail.outbox) == ["abandoned@x.example", "overdue@x.example"]
    states = dict(Notification.objects.values_list("recipient__email", "email_state"))
    assert states == {
        "overdue@x.example": "sent",
        "abandoned@x.example": "sent",
        "fresh@x.example": "pending",
        "later@x.example": "pending",
        "busy@x.example": "sending",
    }


def test_sweeper_does_not_queue_the_same_backlog_again_on_its_next_run(pending, monkeypatch, settings):
    settings.NOTIFICATIONS_SWEEP_AFTER_SECONDS = 300
    n = pending()
    _age(n, minutes=10)
    queued = []
    monkeypatch.setattr(delivery, "enqueue_emails", lambda ids: queued.append(list(ids)) or len(ids))

    assert delivery.sweep_pending_emails() == 1
    assert delivery.sweep_pending_emails() == 0, "queued a moment ago: not overdue again yet"
    later = timezone.now() + datetime.timedelta(seconds=301)
    assert delivery.sweep_pending_emails(now=later) == 1, "still not sent 5 minutes later: queue it again"
    assert queued == [[n.pk], [n.pk]]


def test_sweeper_is_scheduled_on_celery_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-sweep-pending-emails"]
    assert entry["task"] == sweep_pending_emails.name
    assert sweep_pending_emails.name in send_notification_email.app.tasks
