"""Every change to notifications goes through here (STYLE.md rule 1)."""

from __future__ import annotations

import contextlib
import contextvars
import functools
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from auditlog import record
from notifications import events
from notifications.context import dump_context
from notifications.delivery import enqueue_emails
from notifications.models import EmailState, Notification, NotificationPreference, NotificationSettings, StaffLevel
from notifications.preferences import email_wanted_by
from notifications.rendering import render_inapp, rendered_in
from notifications.selectors import email_preferences
from portal.exceptions import ApplicationError

_without_email = contextvars.ContextVar("notifications_without_email", default=False)


@contextlib.contextmanager
def without_email():
    """Notifications made inside are shown in the cabinet but never emailed (email state "not wanted"), and
    nothing is queued: for loading history — the demo ecosystem of `seed_demo` — rather than telling news."""
    token = _without_email.set(True)
    try:
        yield
    finally:
        _without_email.reset(token)


@transaction.atomic
def notify(*, recipients, event: str, context: dict | None = None, link: str = "") -> list[Notification]:
    """Notify `recipients` (users) of `event`: one Notification each, emailed after commit if wanted.

    Call it from a service, inside the transaction of the change it announces: if that transaction
    rolls back, no notification exists and no email is queued. `link` is a path in the portal
    (`/cabinet/alpha/lots/7/`); emails make it absolute with PORTAL_BASE_URL. A broker outage never
    fails the caller: the emails stay pending and the sweeper queues them later.
    """
    event_type = events.get(event)
    context = dict(context or {})
    missing = event_type.missing_context(context)
    if missing:
        raise ValueError(f"notify({event!r}) needs context keys {missing}")
    stored_context = dump_context(context)

    users = list({user.pk: user for user in recipients}.values())
    if not users:
        return []
    if _without_email.get():
        wanted = dict.fromkeys((user.pk for user in users), False)
    else:
        wanted = email_wanted_by(users=users, event_type=event_type)
    now = timezone.now()
    texts: dict[tuple[str, str], tuple[str, str]] = {}  # rendered once per (language, time zone)
    rows = []
    for user in users:
        key = (user.language, user.time_zone)
        if key not in texts:
            texts[key] = render_inapp(event_type, recipient=user, event_context=context, link=link)
        title, body = texts[key]
        rows.append(
            Notification(
                recipient=user,
                event=event_type.code,
                title=title,
                body=body,
                rendered_in=rendered_in(*key),
                link=link,
                context=stored_context,
                created_at=now,
                email_state=EmailState.PENDING if wanted[user.pk] else EmailState.NOT_WANTED,
                email_due_at=now if wanted[user.pk] else None,
            )
        )
    created = Notification.objects.bulk_create(rows, batch_size=500)
    to_send = [n.pk for n in created if n.email_state == EmailState.PENDING]
    if to_send:
        transaction.on_commit(functools.partial(enqueue_emails, to_send))
    return created


@transaction.atomic
def notification_mark_read(*, user, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise ApplicationError(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preferences_update(*, user, email_enabled: dict[str, bool], staff_level: str | None = None, request=None) -> None:
    """Save the user's email choices. Only choices that differ from an event's default are stored,
    so a better default reaches everyone who never changed that event."""
    allowed = {e.code: e for e in events.events_for(user, configurable_only=True)}
    unknown = sorted(set(email_enabled) - set(allowed))
    if unknown:
        raise ApplicationError(_("Unknown notification type: %(codes)s.") % {"codes": ", ".join(unknown)})
    before = email_preferences(user=user)
    for code, enabled in email_enabled.items():
        if bool(enabled) == allowed[code].email_default:
            NotificationPreference.objects.filter(user=user, event=code).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, event=code, defaults={"email_enabled": bool(enabled)}
            )
    if staff_level is not None:
        if not user.is_portal_staff:
            raise ApplicationError(_("Only Misty staff have a notification level."))
        if staff_level not in StaffLevel.values:
            raise ApplicationError(_("Unknown notification level."))
        NotificationSettings.objects.update_or_create(user=user, defaults={"staff_level": staff_level})
    after = email_preferences(user=user)
    changes = {
        f"email:{old['event'].code}": (old["email_enabled"], new["email_enabled"])
        for old, new in zip(before["events"], after["events"], strict=True)
        if old["email_enabled"] != new["email_enabled"]
    }
    if before["staff_level"] != after["staff_level"]:
        changes["staff_level"] = (before["staff_level"], after["staff_level"])
    if changes:
        record(actor=user, event=events.PREFERENCES_UPDATED, obj=user, changes=changes, request=request)


@transaction.atomic
def emails_resend_failed(
    *,
    actor=None,
    notification_ids: list[int] | None = None,
    event: str | None = None,
    since: datetime | None = None,
    request=None,
) -> int:
    """Give failed emails a fresh set of attempts and queue them after commit; returns how many."""
    failed = Notification.objects.filter(email_state=EmailState.FAILED)
    if notification_ids is not None:
        failed = failed.filter(pk__in=notification_ids)
    if event:
        events.get(event)
        failed = failed.filter(event=event)
    if since is not None:
        failed = failed.filter(created_at__gte=since)
    ids = list(failed.select_for_update().values_list("pk", flat=True))
    if not ids:
        return 0
    Notification.objects.filter(pk__in=ids, email_state=EmailState.FAILED).update(
        email_state=EmailState.PENDING, email_attempts=0, email_due_at=timezone.now(), email_claimed_at=None
    )
    record(
        actor=actor,
        request=request,
        event=events.EMAILS_RESENT,
        obj=Notification.objects.select_related("recipient").get(pk=ids[0]) if len(ids) == 1 else None,
        changes={"count": len(ids), "event": event or "", "since": since.isoformat() if since else ""},
    )
    transaction.on_commit(functools.partial(enqueue_emails, ids))
    return len(ids)
