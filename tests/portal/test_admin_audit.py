"""Every write in the Django admin is journaled exactly once (issue 7): through the service that owns the
change where there is one, otherwise as `admin.<app>.<model>.added|changed|deleted` (portal/admin.py)."""

import pytest
from django.test import Client
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from accounts import events as account_events
from accounts.models import Role
from accounts.services import user_change_role
from auditlog import events as audit_catalogue
from auditlog.models import AuditEvent
from notifications.models import Notification
from portal.exceptions import ApplicationError
from projects.models import Membership, Project
from tests.admin_forms import admin_form_data, post_admin_form, user_change_data
from tests.factories import ProjectFactory


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    return client


class Journal:
    """`journal()` → the events written since the fixture was created (or `journal.reset()`), oldest first."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def __call__(self):
        return list(AuditEvent.objects.filter(id__gt=self.start).order_by("id"))


@pytest.fixture
def journal(db):
    return Journal()


def only_event(journal, code):
    events = journal()
    assert [e.event for e in events] == [code], [(e.event, e.changes) for e in events]
    return events[0]


def signed_in(user, password) -> Client:
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert client.get(reverse("profile")).status_code == 200
    return client


# --- people: through the services -------------------------------------------------------------------


def test_role_change_in_the_admin_goes_through_the_service_and_ends_the_users_sessions(
    admin_client, admin, moderator, journal, persona_password
):
    laptop = signed_in(moderator, persona_password)
    journal.reset()

    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[moderator.pk]), user_change_data(moderator, role=Role.DIRECTOR)
    )

    assert response.status_code == 302
    event = only_event(journal, account_events.USER_ROLE_CHANGED)
    assert event.actor == admin
    assert event.changes == {"role": {"old": "moderator", "new": "director"}}
    moderator.refresh_from_db()
    assert moderator.role == Role.DIRECTOR
    assert laptop.get(reverse("profile")).status_code == 302, "the session opened under the old role ended"


def test_email_change_in_the_admin_writes_one_event(admin_client, rep_a, journal):
    admin_client.post(
        reverse("admin:accounts_user_change", args=[rep_a.pk]), user_change_data(rep_a, email="alice@alpha.example")
    )

    only_event(journal, account_events.USER_EMAIL_CHANGED)


def test_profile_fields_changed_in_the_admin_go_through_profile_update(admin_client, rep_a, journal):
    admin_client.post(
        reverse("admin:accounts_user_change", args=[rep_a.pk]),
        user_change_data(rep_a, last_name="A. Alpha", phone="+7 900 000-00-00"),
    )

    event = only_event(journal, account_events.USER_PROFILE_UPDATED)
    assert event.changes["last_name"] == {"old": "Alpha", "new": "A. Alpha"}


def test_saving_the_user_form_unchanged_writes_nothing(admin_client, rep_a, journal):
    admin_client.post(reverse("admin:accounts_user_change", args=[rep_a.pk]), user_change_data(rep_a))

    assert journal() == []


def test_an_administrator_cannot_change_their_own_role_in_the_admin(admin_client, admin, journal):
    url = reverse("admin:accounts_user_change", args=[admin.pk])

    response = admin_client.post(
        url, user_change_data(admin, role=Role.REPRESENTATIVE, first_name="Renamed"), follow=True
    )

    assert "You cannot change your own role." in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN and admin.full_name == "Adam Admin", "the whole save was rolled back"
    assert journal() == []


def test_role_service_refuses_unknown_roles_and_journals_nothing_without_a_change(rep_a, admin, journal):
    with pytest.raises(ApplicationError):
        user_change_role(user=rep_a, role="owner", actor=admin)
    user_change_role(user=rep_a, role=Role.REPRESENTATIVE, actor=admin)

    assert journal() == []


# --- memberships: the inline on the user and their own page ----------------------------------------


def test_membership_added_through_the_user_inline_writes_one_event(admin_client, rep_a, project_b, journal):
    rows = [*rep_a.memberships.all(), Membership(user=rep_a, project=project_b)]

    admin_client.post(reverse("admin:accounts_user_change", args=[rep_a.pk]), user_change_data(rep_a, memberships=rows))

    event = only_event(journal, "admin.projects.membership.added")
    assert event.project == project_b
    assert event.changes["project"] == project_b.pk
    assert rep_a.memberships.filter(project=project_b).exists()


def test_membership_moved_through_the_user_inline_writes_one_event(admin_client, rep_a, project_a, project_b, journal):
    membership = rep_a.memberships.get()
    membership.project = project_b

    admin_client.post(
        reverse("admin:accounts_user_change", args=[rep_a.pk]), user_change_data(rep_a, memberships=[membership])
    )

    event = only_event(journal, "admin.projects.membership.changed")
    assert event.changes == {"project": {"old": project_a.pk, "new": project_b.pk}}


def test_membership_removed_through_the_user_inline_writes_one_event(admin_client, rep_a, project_a, journal):
    membership = rep_a.memberships.get()
    data = user_change_data(rep_a)
    data["memberships-0-DELETE"] = "on"

    admin_client.post(reverse("admin:accounts_user_change", args=[rep_a.pk]), data)

    event = only_event(journal, "admin.projects.membership.deleted")
    assert event.object_id == str(membership.pk) and event.project == project_a
    assert not rep_a.memberships.exists()


def test_membership_on_its_own_admin_page_add_change_delete_each_write_one_event(
    admin_client, rep_b, project_a, project_b, journal
):
    add = admin_client.post(
        reverse("admin:projects_membership_add"),
        {"user": rep_b.pk, "project": project_a.pk, "right": "viewer", "_save": "Save"},
    )
    assert add.status_code == 302
    membership = Membership.objects.get(user=rep_b, project=project_a)
    assert only_event(journal, "admin.projects.membership.added").project == project_a

    post_admin_form(
        admin_client,
        reverse("admin:projects_membership_change", args=[membership.pk]),
        project=str(ProjectFactory(slug="gamma").pk),
    )
    assert [e.event for e in journal()][-1] == "admin.projects.membership.changed"

    admin_client.post(reverse("admin:projects_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert [e.event for e in journal()] == [
        "admin.projects.membership.added",
        "admin.projects.membership.changed",
        "admin.projects.membership.deleted",
    ]
    assert not Membership.objects.filter(pk=membership.pk).exists()


# --- projects, notifications, the beat schedule: the generic journal -------------------------------


def test_project_add_change_delete_each_write_one_event(admin_client, admin, journal):
    admin_client.post(
        reverse("admin:projects_project_add"),
        {
            "name": "Gamma Grill",
            "slug": "gamma",
            "active": "on",
            "category": "restaurant",
            "client_points": "0",
            "_save": "Save",
        },
    )
    project = Project.objects.get(slug="gamma")
    added = only_event(journal, "admin.projects.project.added")
    assert added.actor == admin and added.project == project
    assert {key: added.changes[key] for key in ("name", "slug", "active", "category")} == {
        "name": "Gamma Grill",
        "slug": "gamma",
        "active": True,
        "category": "restaurant",
    }
    assert "created_at" in added.changes

    post_admin_form(admin_client, reverse("admin:projects_project_change", args=[project.pk]), name="Gamma Grill & Bar")
    changed = journal()[-1]
    assert changed.event == "admin.projects.project.changed"
    assert changed.changes == {"name": {"old": "Gamma Grill", "new": "Gamma Grill & Bar"}}


def test_project_deleted_in_the_admin_is_journaled_without_holding_the_row(admin_client, journal):
    project = ProjectFactory(name="Short-lived", slug="short-lived")

    response = admin_client.post(reverse("admin:projects_project_delete", args=[project.pk]), {"post": "yes"})

    assert response.status_code == 302
    event = only_event(journal, "admin.projects.project.deleted")
    assert event.object_id == str(project.pk) and event.object_text == "Short-lived" and event.project is None
    assert event.changes["slug"] == "short-lived"
    assert not Project.objects.filter(pk=project.pk).exists()


def test_delete_selected_action_journals_each_object(admin_client, journal):
    doomed = [ProjectFactory(slug=f"doomed-{i}") for i in range(3)]

    admin_client.post(
        reverse("admin:projects_project_changelist"),
        {"action": "delete_selected", "_selected_action": [p.pk for p in doomed], "post": "yes"},
    )

    events = journal()
    assert [e.event for e in events] == ["admin.projects.project.deleted"] * 3
    assert sorted(e.object_id for e in events) == sorted(str(p.pk) for p in doomed)


def test_notification_changed_in_the_admin_writes_one_event(admin_client, rep_a, journal):
    notification = Notification.objects.create(recipient=rep_a, event="accounts.user.welcome", title="Welcome")

    post_admin_form(
        admin_client,
        reverse("admin:notifications_notification_change", args=[notification.pk]),
        title="Welcome to Misty",
    )

    event = only_event(journal, "admin.notifications.notification.changed")
    assert event.changes == {"title": {"old": "Welcome", "new": "Welcome to Misty"}}


@pytest.fixture
def periodic_task(db):
    every_minute = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.create(
        name="sweep", task="notifications.tasks.sweep_pending_emails", interval=every_minute
    )


def test_periodic_task_changed_in_the_admin_writes_one_event(admin_client, periodic_task, journal):
    post_admin_form(
        admin_client,
        reverse("admin:django_celery_beat_periodictask_change", args=[periodic_task.pk]),
        kwargs='{"limit": 50}',
    )

    event = only_event(journal, "admin.django_celery_beat.periodictask.changed")
    assert event.changes == {"kwargs": {"old": "{}", "new": '{"limit": 50}'}}


@pytest.mark.parametrize("action,enabled_after", [("disable_tasks", False), ("toggle_tasks", False)])
def test_periodic_task_bulk_actions_journal_each_task(admin_client, periodic_task, journal, action, enabled_after):
    admin_client.post(
        reverse("admin:django_celery_beat_periodictask_changelist"),
        {"action": action, "_selected_action": [periodic_task.pk]},
    )

    event = only_event(journal, "admin.django_celery_beat.periodictask.changed")
    assert event.changes == {"enabled": {"old": True, "new": enabled_after}}
    periodic_task.refresh_from_db()
    assert periodic_task.enabled is enabled_after


def test_schedule_added_in_the_admin_writes_one_event(admin_client, journal):
    post_admin_form(admin_client, reverse("admin:django_celery_beat_intervalschedule_add"), every="5", period="minutes")

    event = only_event(journal, "admin.django_celery_beat.intervalschedule.added")
    assert event.changes == {"every": 5, "period": "minutes"}


def test_group_changes_are_journaled_with_their_permissions(admin_client, journal):
    from django.contrib.auth.models import Group, Permission

    permission = Permission.objects.get(codename="view_project")
    admin_client.post(
        reverse("admin:auth_group_add"), {"name": "Auditors", "permissions": [permission.pk], "_save": "Save"}
    )

    event = only_event(journal, "admin.auth.group.added")
    assert event.changes == {"name": "Auditors", "permissions": [str(permission.pk)]}
    assert Group.objects.filter(name="Auditors").exists()


def test_every_audited_admin_has_its_codes_in_the_journal_catalogue():
    from django.contrib import admin

    from portal.admin import AuditedAdminMixin, admin_event

    audited = [
        model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, AuditedAdminMixin)
    ]
    assert {m._meta.label_lower for m in audited} >= {
        "accounts.user",
        "projects.project",
        "projects.membership",
        "notifications.notification",
        "django_celery_beat.periodictask",
        "django_celery_beat.crontabschedule",
        "auth.group",
    }
    for model in audited:
        for action in ("added", "changed", "deleted"):
            assert audit_catalogue.is_known(admin_event(model, action))


def test_every_writable_admin_page_is_audited():
    """A ModelAdmin registered later without the journal fails here instead of in production."""
    from django.contrib import admin

    from portal.admin import AuditedAdminMixin, ReadOnlyModelAdmin

    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, (AuditedAdminMixin, ReadOnlyModelAdmin))
        and model._meta.label != "auditlog.AuditEvent"
    ]
    assert not unaudited


def test_an_unchanged_admin_form_round_trips(admin_client, rep_a):
    """The form-data helper itself: submitting a page as it is changes nothing."""
    page = admin_client.get(reverse("admin:accounts_user_change", args=[rep_a.pk]))
    assert admin_form_data(page)["email"] == rep_a.email


def test_crontab_added_in_the_admin_writes_one_event_with_its_time_zone(admin_client, journal):
    post_admin_form(
        admin_client,
        reverse("admin:django_celery_beat_crontabschedule_add"),
        minute="0",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Moscow",
    )

    event = only_event(journal, "admin.django_celery_beat.crontabschedule.added")
    assert event.changes["timezone"] == "Europe/Moscow" and event.changes["hour"] == "3"


def test_user_added_in_the_admin_is_journaled_with_the_password_masked(admin_client, journal):
    post_admin_form(
        admin_client,
        reverse("admin:accounts_user_add"),
        email="new@misty.example",
        first_name="New",
        last_name="Person",
        role=Role.REPRESENTATIVE,
        status="invited",
        language="ru",
        time_zone="Europe/Moscow",
    )

    event = only_event(journal, "admin.accounts.user.added")
    assert event.changes["email"] == "new@misty.example" and event.changes["password"] == "***"


def test_a_user_added_with_a_membership_is_journaled_user_first(admin_client, project_a, journal):
    page = admin_client.get(reverse("admin:accounts_user_add"))
    data = admin_form_data(
        page,
        email="new@alpha.example",
        first_name="New",
        last_name="Rep",
        role=Role.REPRESENTATIVE,
        status="invited",
        language="ru",
        time_zone="Europe/Moscow",
    )
    data.update(
        {"memberships-TOTAL_FORMS": "1", "memberships-0-project": str(project_a.pk), "memberships-0-right": "manager"}
    )

    assert admin_client.post(reverse("admin:accounts_user_add"), data).status_code == 302

    assert [e.event for e in journal()] == ["admin.accounts.user.added", "admin.projects.membership.added"]
    assert journal()[1].project == project_a
