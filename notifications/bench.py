"""Bench dataset `notifications` and the notification pages (`make bench`, see portal/bench/__init__.py).

Large: 300,000 notifications a year, spread over every account, 500 of them the persona's
(`rep@bench.example`: a third unread, one welcome — the "one row" filter). Emails: mostly sent or not
wanted, 1.5 % failed and 0.5 % pending, so the staff "Email delivery" page has a few thousand to list.
"""

import datetime as dt
import random

from django.http import HttpResponse
from django.urls import reverse

from accounts import events as account_events
from notifications import events
from notifications.models import EmailState, Notification
from portal.bench import by_size, dataset, insert_rows, page, personas

PERSONA_ROWS = 500
ONE_ROW_EVENT = account_events.USER_WELCOME.code
_REP_EVENTS = [e.code for e in events.all_events() if e.concerns_representatives and not e.email_required]
_STATES = [(EmailState.SENT, 95.0), (EmailState.NOT_WANTED, 3.0), (EmailState.FAILED, 1.5), (EmailState.PENDING, 0.5)]


@dataset("notifications", order=60, version=3)
def build(*, size):
    from accounts.models import User

    total = by_size(size, small=5_000, large=300_000)
    rng = random.Random(60)
    persona_id = User.objects.get(email=personas.REP_EMAIL).pk
    others = list(User.objects.exclude(pk=persona_id).values_list("id", flat=True))
    # As notify() stores it: the texts were rendered in each recipient's language and zone.
    locale_of = {
        pk: f"{language}|{zone}" for pk, language, zone in User.objects.values_list("id", "language", "time_zone")
    }
    states, weights = zip(*_STATES, strict=True)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    step = dt.timedelta(days=365) / total

    def row(i, recipient_id, event, *, unread):
        created = start + step * i
        state = rng.choices(states, weights)[0]
        return (
            recipient_id,
            event,
            f"Lot “Bench offer {i % 997}” — {event}",
            f"Bench notification number {i}.",
            locale_of[recipient_id],
            f"/cabinet/{personas.MAIN_PROJECT_SLUG}/",
            {"lot_title": f"Bench offer {i % 997}"},
            created,
            None if unread else created + dt.timedelta(hours=2),
            state,
            {EmailState.SENT: 1, EmailState.FAILED: 6}.get(state, 0),
            "SMTPServerDisconnected: Connection unexpectedly closed" if state == EmailState.FAILED else "",
            created if state in (EmailState.PENDING, EmailState.FAILED) else None,
            None,
            created + dt.timedelta(seconds=5) if state == EmailState.SENT else None,
        )

    persona_at = set(rng.sample(range(total), PERSONA_ROWS))
    welcome_at = min(persona_at)

    def rows():
        for i in range(total):
            if i == welcome_at:
                yield row(i, persona_id, ONE_ROW_EVENT, unread=False)
            elif i in persona_at:
                yield row(i, persona_id, rng.choice(_REP_EVENTS), unread=rng.random() < 0.33)
            else:
                yield row(i, rng.choice(others), rng.choice(_REP_EVENTS), unread=rng.random() < 0.2)

    columns = [
        "recipient_id",
        "event",
        "title",
        "body",
        "rendered_in",
        "link",
        "context",
        "created_at",
        "read_at",
        "email_state",
        "email_attempts",
        "email_last_error",
        "email_due_at",
        "email_claimed_at",
        "email_sent_at",
    ]
    return {"notifications": insert_rows(Notification._meta.db_table, columns, rows())}


def bare_my_notifications(request):
    """The list's main query without its page: the user's newest 25."""
    rows = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")[:25]
    return HttpResponse("\n".join(f"{n.created_at} {n.title}" for n in rows), content_type="text/plain; charset=utf-8")


def bare_failed_emails(request):
    rows = (
        Notification.objects.filter(email_state__in=["pending", "sending", "failed"])
        .select_related("recipient")
        .order_by("-created_at", "-id")[:25]
    )
    return HttpResponse(
        "\n".join(f"{n.created_at} {n.recipient.email} {n.email_state}" for n in rows),
        content_type="text/plain; charset=utf-8",
    )


page(
    "rep: notifications",
    url=lambda: reverse("notifications:list"),
    one_row_url=lambda: f"{reverse('notifications:list')}?event={ONE_ROW_EVENT}",
    persona=personas.rep,
    bare=bare_my_notifications,
    admin="admin:notifications_notification_changelist",
)

page(
    "rep: notifications, unread",
    url=lambda: f"{reverse('notifications:list')}?state=unread",
    persona=personas.rep,
    bare=bare_my_notifications,
    admin=lambda: f"{reverse('admin:notifications_notification_changelist')}?email_state__exact=pending",
)

page(
    "staff: email delivery",
    url=lambda: reverse("staff:email_delivery"),
    persona=personas.admin,
    bare=bare_failed_emails,
    admin=lambda: f"{reverse('admin:notifications_notification_changelist')}?email_state__exact=failed",
)
