"""Control characters never get in through a form, and an export survives every one that is already there."""

from django.urls import reverse

from accounts import events as account_events
from auditlog.models import AuditEvent

EVERY_C0 = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\x7f"
STORABLE_C0 = EVERY_C0.replace("\x00", "")  # PostgreSQL text cannot hold NUL at all


def test_a_name_typed_with_control_characters_is_saved_without_them(client_as, rep_a):
    response = client_as("rep_a").post(
        reverse("profile"),
        {
            "first_name": f"Ali{EVERY_C0}ce",
            "last_name": "",
            "phone": "",
            "language": "en",
            "time_zone": "Europe/Moscow",
        },
    )
    assert response.status_code == 302
    rep_a.refresh_from_db()
    assert rep_a.full_name == "Alice"


def test_a_journal_holding_every_control_character_still_exports(client_as, rep_a):
    AuditEvent.objects.create(
        actor=rep_a,
        event=account_events.USER_PROFILE_UPDATED,
        object_text=f"x{STORABLE_C0}y",
        changes={"full_name": {"old": "a", "new": f"b{STORABLE_C0}"}},
    )
    response = client_as("admin").get(reverse("staff:audit_export"), {"format": "xlsx"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"PK")
