import datetime

import pytest
from django.utils import timezone

from auditlog.models import AuditEvent


@pytest.fixture
def make_events(db):
    """`make_events(n, event=..., actor=..., project=..., at=datetime, step=timedelta)` bulk-inserts n events."""

    def make(
        n, *, event="accounts.login", actor=None, project=None, at=None, step=datetime.timedelta(seconds=-1), **fields
    ):
        start = at or timezone.now()
        rows = [
            AuditEvent(
                created_at=start + step * i,
                event=event,
                actor=actor,
                actor_role=getattr(actor, "role", ""),
                project=project,
                object_text=f"{event} #{i}",
                **fields,
            )
            for i in range(n)
        ]
        return AuditEvent.objects.bulk_create(rows)

    return make
