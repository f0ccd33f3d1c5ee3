"""Bench dataset `auditlog` (1M events when large) and the audit journal pages (`make bench`).

The journal is insert-only (a trigger on PostgreSQL), which is all a builder needs. Exactly one
`auditlog.exported` event exists: the "one row" side of the N+1 comparison.
"""

import datetime as dt
import random

from django.http import HttpResponse
from django.urls import reverse

from accounts import events as account_events
from auditlog import events
from auditlog.models import AuditEvent
from portal.bench import by_size, dataset, insert_rows, page, personas

# (event, weight, has a project, has changes)
_MIX = [
    (account_events.LOGIN, 40, False, False),
    (account_events.LOGOUT, 25, False, False),
    (account_events.LOGIN_FAILED, 8, False, True),
    (events.ACCESS_NOT_FOUND, 6, True, True),
    (events.ACCESS_FORBIDDEN, 4, False, True),
    (account_events.USER_PROFILE_UPDATED, 6, False, True),
    (account_events.USER_LANGUAGE_CHANGED, 4, False, True),
    (account_events.PASSWORD_CHANGED, 2, False, False),
    (account_events.USER_BLOCKED, 1, False, True),
    (account_events.USER_UNBLOCKED, 1, False, True),
    (events.FILE_DOWNLOADED, 3, True, False),
]
_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
]


@dataset("auditlog", order=50)
def build(*, size):
    from accounts.models import User
    from projects.models import Project

    count = by_size(size, small=5_000, large=1_000_000)
    rng = random.Random(50)
    people = list(User.objects.values_list("id", "role", "email"))
    project_ids = list(Project.objects.values_list("id", flat=True))
    codes = [m[0] for m in _MIX]
    weights = [m[1] for m in _MIX]
    shape = {m[0]: m[2:] for m in _MIX}
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    step = dt.timedelta(days=365) / count  # one year of history, whatever the size

    def rows():
        for i in range(count - 1):
            event = rng.choices(codes, weights)[0]
            with_project, with_changes = shape[event]
            actor_id, role, email = rng.choice(people)
            if event == account_events.LOGIN_FAILED:
                actor_id, role = None, ""
            changes = (
                {"status": [403, 404][event == events.ACCESS_NOT_FOUND], "path": "/staff/"}
                if event.startswith("access.")
                else {"email": email}
                if event == account_events.LOGIN_FAILED
                else {"full_name": {"old": "Old Name", "new": "New Name"}}
                if with_changes
                else {}
            )
            yield (
                start + step * i,
                actor_id,
                role,
                f"10.{i % 250}.{i // 250 % 250}.{i % 7 + 1}",
                _AGENTS[i % 3],
                event,
                "accounts.user",
                str(actor_id or ""),
                email,
                rng.choice(project_ids) if with_project else None,
                changes,
            )
        # the single export (the page filtered by it shows one row)
        actor_id, role, email = people[0]
        yield (
            start + step * count,
            actor_id,
            role,
            "10.0.0.1",
            _AGENTS[0],
            events.AUDIT_EXPORTED,
            "",
            "",
            "audit.xlsx",
            None,
            {"export": "audit-journal", "format": "xlsx", "rows": 50},
        )

    columns = [
        "created_at",
        "actor_id",
        "actor_role",
        "ip",
        "user_agent",
        "event",
        "object_type",
        "object_id",
        "object_text",
        "project_id",
        "changes",
    ]
    return {"audit events": insert_rows(AuditEvent._meta.db_table, columns, rows())}


def bare_newest(request):
    """The journal's main query without its page: the newest 50 events with actor and project."""
    rows = AuditEvent.objects.select_related("actor", "project").order_by("-created_at", "-id")[:50]
    return HttpResponse(
        "\n".join(f"{e.created_at} {e.event} {e.actor} {e.project}" for e in rows),
        content_type="text/plain; charset=utf-8",
    )


def bare_logins_of_one_person(request):
    from django.db.models import Q

    from accounts.models import User

    people = User.objects.filter(Q(full_name__icontains="bench admin") | Q(email__icontains="bench admin"))
    rows = (
        AuditEvent.objects.select_related("actor", "project")
        .filter(event=account_events.LOGIN, actor__in=people.values("pk"))
        .order_by("-created_at", "-id")[:50]
    )
    return HttpResponse(
        "\n".join(f"{e.created_at} {e.event} {e.actor}" for e in rows), content_type="text/plain; charset=utf-8"
    )


page(
    "staff: audit journal",
    url=lambda: reverse("staff:audit"),
    one_row_url=lambda: f"{reverse('staff:audit')}?event={events.AUDIT_EXPORTED}",
    persona=personas.director,
    bare=bare_newest,
    admin="admin:auditlog_auditevent_changelist",
)

page(
    "staff: audit journal by actor and event",
    url=lambda: f"{reverse('staff:audit')}?event={account_events.LOGIN}&actor=bench+admin",
    persona=personas.director,
    bare=bare_logins_of_one_person,
    admin=lambda: f"{reverse('admin:auditlog_auditevent_changelist')}?event={account_events.LOGIN}",
)
