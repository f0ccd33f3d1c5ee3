"""The journal's detail page reads like a sentence, in the reader's language: fields by their labels, choices
by their labels, Yes/No, notification preference keys as the event's name (auditlog/changes.py)."""

import pytest
from django.urls import reverse

import auditlog
from accounts import events as account_events
from accounts.services import user_block
from auditlog.changes import describe_field, display_value, readable_changes
from auditlog.exporters import readable_changes as exported_changes
from notifications.services import preferences_update

pytestmark = pytest.mark.django_db


def reader(user, language):
    user.language = language
    user.save(update_fields=["language"])


def changes_table(html):
    start = html.index('id="audit-changes"')
    return html[start : html.index("</table>", start)]


def detail(client, event):
    response = client.get(reverse("staff:audit_detail", kwargs={"pk": event.pk}))
    assert response.status_code == 200
    return changes_table(response.content.decode())


@pytest.fixture
def blocked_event(admin, rep_a):
    from auditlog.models import AuditEvent

    user_block(user=rep_a, actor=admin)
    return AuditEvent.objects.get(event=account_events.USER_BLOCKED)


@pytest.fixture
def preference_event(moderator):
    from auditlog.models import AuditEvent

    preferences_update(user=moderator, email_enabled={"offers.deal.completed": False}, staff_level="all")
    return AuditEvent.objects.get(event="notifications.preferences.updated")


def test_a_status_change_reads_with_labels_in_russian(client_as, moderator, blocked_event):
    reader(moderator, "ru")
    table = detail(client_as("moderator"), blocked_event)
    assert ">Статус<" in table and "Активен" in table and "Заблокирован" in table
    assert ">status<" not in table and ">active<" not in table and ">blocked<" not in table


def test_and_in_english_for_an_english_reader(client_as, moderator, blocked_event):
    reader(moderator, "en")
    table = detail(client_as("moderator"), blocked_event)
    assert ">Status<" in table and ">Active<" in table and ">Blocked<" in table


def test_notification_preferences_read_as_the_events_name_and_yes_no(client_as, moderator, preference_event):
    assert preference_event.changes == {
        "email:offers.deal.completed": {"old": True, "new": False},
        "staff_level": {"old": "important", "new": "all"},
    }
    reader(moderator, "en")
    table = detail(client_as("moderator"), preference_event)
    assert "Email: Deal completed" in table and ">Yes<" in table and ">No<" in table
    assert "Email level" in table and "Important only" in table and "All notifications" in table
    assert "email:offers" not in table.replace('title="email:offers.deal.completed"', "")
    assert "True" not in table and "False" not in table

    reader(moderator, "ru")
    table = detail(client_as("moderator"), preference_event)
    assert "Сделка завершена" in table and ">Да<" in table and ">Нет<" in table
    assert "Только важные" in table and "Все уведомления" in table


def test_profile_changes_use_the_user_models_labels(client_as, moderator, rep_a):
    event = auditlog.record(
        actor=rep_a,
        event=account_events.USER_PROFILE_UPDATED,
        obj=rep_a,
        changes={"time_zone": ("Europe/Moscow", "Asia/Yekaterinburg"), "language": ("en", "ru"), "note": "x"},
    )
    reader(moderator, "ru")
    table = detail(client_as("moderator"), event)
    assert "Часовой пояс" in table and "Москва (UTC+3)" in table and "Екатеринбург (UTC+5)" in table
    assert "Русский" in table and "English" in table
    assert ">note<" in table, "a field the model does not have keeps its recorded name"


def test_unknown_models_and_fields_fall_back_to_the_raw_name():
    assert describe_field(event="x.y", object_type="", key="count").label == "count"
    assert describe_field(event="x.y", object_type="gone.model", key="status").label == "status"
    assert describe_field(event="x.y", object_type="accounts.user", key="nope").label == "nope"
    assert display_value(None) is None and display_value(["a", "b"]) == "a, b" and display_value(7) == 7


def test_rows_are_sorted_by_label_and_secrets_stay_masked(rep_a, admin):
    event = auditlog.record(
        actor=admin,
        event=account_events.USER_PROFILE_UPDATED,
        obj=rep_a,
        changes={"phone": ("1", "2"), "password": ("a", "b"), "email": ("a@x.example", "b@x.example")},
    )
    from django.utils import translation

    with translation.override("en"):
        rows = readable_changes(event)
    assert [row["label"] for row in rows] == ["Email", "Password", "Phone"]
    assert rows[1]["value"] == "***"


def test_the_export_reads_the_same_way(blocked_event):
    from django.utils import translation

    with translation.override("en"):
        assert exported_changes(blocked_event) == "Status: Active → Blocked"


def test_the_detail_page_costs_no_query_per_change(client_as, moderator, rep_a, django_assert_max_num_queries):
    many = {f"field_{i}": (i, i + 1) for i in range(40)} | {"status": ("active", "blocked"), "flag": (True, False)}
    event = auditlog.record(actor=moderator, event=account_events.USER_BLOCKED, obj=rep_a, changes=many)
    client = client_as("moderator")
    client.get(reverse("staff:audit_detail", kwargs={"pk": event.pk}))
    from portal.budget import MAX_QUERIES_PER_PAGE

    with django_assert_max_num_queries(MAX_QUERIES_PER_PAGE):
        client.get(reverse("staff:audit_detail", kwargs={"pk": event.pk}))
