"""`manage.py resend_failed_emails`: failed emails get a fresh set of attempts and are sent."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from notifications.models import EmailState, Notification

pytestmark = pytest.mark.django_db


def failed(recipient, event="offers.lot.approved", age=datetime.timedelta(0)):
    return Notification.objects.create(
        recipient=recipient,
        event=event,
        title="t",
        context={"lot_title": "Lot", "deal_title": "Deal", "owner_name": "A", "partner_name": "B"},
        created_at=timezone.now() - age,
        email_state=EmailState.FAILED,
        email_attempts=6,
        email_last_error="SMTPServerDisconnected: gone",
    )


def run(*args, capture):
    out = io.StringIO()
    with capture(execute=True):
        call_command("resend_failed_emails", *args, stdout=out)
    return out.getvalue()


def test_command_resends_every_failed_email_and_prints_counts(rep_a, rep_b, django_capture_on_commit_callbacks):
    failed(rep_a)
    failed(rep_b)
    output = run(capture=django_capture_on_commit_callbacks)
    assert "2 failed email(s) queued again; 0 still failed." in output
    assert sorted(m.to[0] for m in mail.outbox) == sorted([rep_a.email, rep_b.email])
    assert set(Notification.objects.values_list("email_state", "email_attempts")) == {(EmailState.SENT, 1)}


def test_command_filters_by_event_and_since(rep_a, django_capture_on_commit_callbacks):
    old = failed(rep_a, age=datetime.timedelta(days=10))
    other_event = failed(rep_a, event="offers.deal.completed")
    wanted = failed(rep_a)

    output = run("--event", "offers.lot.approved", "--since", "7d", capture=django_capture_on_commit_callbacks)

    assert "1 failed email(s) queued again; 2 still failed." in output
    states = dict(Notification.objects.values_list("pk", "email_state"))
    assert states == {old.pk: EmailState.FAILED, other_event.pk: EmailState.FAILED, wanted.pk: EmailState.SENT}


def test_command_dry_run_changes_nothing(rep_a, django_capture_on_commit_callbacks):
    failed(rep_a)
    assert "1 failed email(s) would be queued" in run("--dry-run", capture=django_capture_on_commit_callbacks)
    assert Notification.objects.get().email_state == EmailState.FAILED and mail.outbox == []


def test_command_refuses_an_unknown_event():
    with pytest.raises(CommandError, match="unknown notification event"):
        call_command("resend_failed_emails", "--event", "offers.lot.exploded")


def test_command_is_recorded_in_the_audit_journal(rep_a, django_capture_on_commit_callbacks):
    from auditlog.models import AuditEvent

    failed(rep_a)
    failed(rep_a)
    run(capture=django_capture_on_commit_callbacks)
    event = AuditEvent.objects.get(event="notifications.email.resent")
    assert event.actor is None and event.changes["count"] == 2
