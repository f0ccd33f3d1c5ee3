"""Staff → Audit journal: admin, moderator and director read and export it; representatives get 403."""

from tests.matrix import Entry, staff_only


def _an_event(world):
    import auditlog

    event = auditlog.record(
        actor=world.admin, event="accounts.user.blocked", obj=world.rep_a, changes={"status": ("active", "blocked")}
    )
    return {"pk": event.pk}


ENTRIES = {
    "staff:audit": Entry(staff_only()),
    "staff:audit_detail": Entry(staff_only(), kwargs=_an_event),
    "staff:audit_export": Entry(staff_only(), data={"format": "xlsx"}, note="streams an .xlsx file"),
}
