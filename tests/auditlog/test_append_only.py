"""The journal is append-only: the model, its QuerySet, and on PostgreSQL the database itself refuse
to change or remove an event."""

import pytest
from django.db import DatabaseError, connection, transaction

import auditlog
from accounts import events as account_events
from auditlog.models import AppendOnlyError, AuditEvent
from tests.conftest import need


@pytest.fixture
def event(admin):
    return auditlog.record(actor=admin, event=account_events.LOGIN, changes={"x": 1})


def test_an_event_cannot_be_saved_again(event):
    event.event = account_events.LOGOUT
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get().event == account_events.LOGIN


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    "operation",
    [
        lambda qs: qs.update(event=account_events.LOGOUT),
        lambda qs: qs.delete(),
        lambda qs: qs.filter(pk__gt=0).update(changes={}),
        lambda qs: qs.bulk_update(list(qs), ["event"]),
        lambda qs: qs.update_or_create(pk=qs.get().pk, defaults={"event": account_events.LOGOUT}),
    ],
)
def test_bulk_changes_through_the_orm_are_refused(event, operation):
    with pytest.raises(AppendOnlyError):
        operation(AuditEvent.objects.all())
    assert AuditEvent.objects.get().event == account_events.LOGIN


def test_bulk_create_is_allowed(admin):
    AuditEvent.objects.bulk_create([AuditEvent(event=account_events.LOGIN, actor=admin) for _ in range(3)])
    assert AuditEvent.objects.count() == 3


def test_the_actor_of_an_event_cannot_be_deleted(event, admin):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        admin.delete()


@pytest.mark.postgres
class TestPostgresTrigger:
    @pytest.fixture(autouse=True)
    def _on_postgresql(self):
        need(
            connection.vendor == "postgresql",
            f"the suite's database is {connection.vendor}; set DATABASE_URL=postgres://... to run PostgreSQL tests",
        )

    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE auditlog_auditevent SET event = 'accounts.logout'",
            "UPDATE auditlog_auditevent SET changes = '{}'::jsonb WHERE id = %s",
            "DELETE FROM auditlog_auditevent WHERE id = %s",
            "DELETE FROM auditlog_auditevent",
        ],
    )
    def test_raw_update_and_delete_are_refused_by_the_database(self, event, sql):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk] if "%s" in sql else None)
        event_row = AuditEvent.objects.values_list("event", "changes").get()
        assert event_row == (account_events.LOGIN, {"x": 1})

    def test_insert_is_still_allowed_by_the_database(self, event):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO auditlog_auditevent (created_at, actor_role, user_agent, event, object_type, object_id,"
                " object_text, changes) VALUES (now(), '', '', 'accounts.login', '', '', '', '{}'::jsonb)"
            )
        assert AuditEvent.objects.count() == 2

    def test_the_trigger_exists_on_the_table(self, db):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'auditlog_auditevent'::regclass AND NOT tgisinternal"
            )
            assert [row[0] for row in cursor.fetchall()] == ["auditlog_append_only"]


def test_the_admin_shows_the_journal_read_only(client_as, event):
    from django.urls import reverse

    client = client_as("admin")
    changelist = client.get(reverse("admin:auditlog_auditevent_changelist"), {"event": account_events.LOGIN})
    assert changelist.status_code == 200 and changelist.context["cl"].result_count >= 1
    change = client.get(reverse("admin:auditlog_auditevent_change", args=[event.pk]))
    assert change.status_code == 200 and not change.context["has_change_permission"]
    assert client.get(reverse("admin:auditlog_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:auditlog_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
