"""Staff → Users: the catalog (search, filters, sort, pages, export), inviting through the form, a person's
card and every action on it through its page — with the services' refusals shown as clear messages."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from accounts.models import Role, User, UserStatus
from auditlog.models import AuditEvent
from projects.models import Membership, ProjectRight
from tests.factories import MembershipFactory, UserFactory
from tests.matrix import LOGIN


@pytest.fixture(autouse=True)
def _english_and_emails_sent_on_commit(monkeypatch):
    """Messages in English; emails queued on commit are sent at once (the test's transaction never commits)."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    with translation.override("en"):
        yield


USERS = reverse("staff:users")


def emails_listed(response) -> list[str]:
    return [person.email for person in response.context["list"]]


def bulk_users(count, *, prefix="bulk", project=None, **fields):
    users = [
        User(
            email=f"{prefix}{i:04d}@people.example",
            first_name=f"Bulk{i:04d}",
            full_name=f"Bulk{i:04d}",
            password="!",
            **fields,
        )
        for i in range(count)
    ]
    User.objects.bulk_create(users)
    created = list(User.objects.filter(email__startswith=prefix))
    if project is not None:
        Membership.objects.bulk_create(
            [
                Membership(user=u, project=project, right=ProjectRight.VIEWER if i % 2 else "manager")
                for i, u in enumerate(created)
            ]
        )
    return created


# --- access to the action pages (GET; the POSTs are in tests/matrix/people.py) --------------------------------

ACTION_PAGES = ["staff:user_invite", "staff:user_edit", "staff:user_projects", "staff:user_block", "staff:user_unblock"]
EXPECTED_GET = {
    "anonymous": LOGIN,
    "rep_a": 403,
    "viewer_a": 403,
    "rep_b": 403,
    "moderator": 403,
    "curator": 403,
    "director": 403,
    "admin": 200,
}


@pytest.mark.parametrize("persona", sorted(EXPECTED_GET))
@pytest.mark.parametrize("url_name", ACTION_PAGES)
def test_only_administrators_open_the_action_pages(url_name, persona, client_as, personas):
    kwargs = {} if url_name == "staff:user_invite" else {"pk": personas["rep_b"].pk}
    response = client_as(persona).get(reverse(url_name, kwargs=kwargs))
    expected = EXPECTED_GET[persona]
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("persona", ["moderator", "curator", "director"])
def test_staff_who_do_not_manage_people_see_the_card_and_catalog_without_any_action(persona, client_as, personas):
    client = client_as(persona)
    catalog = client.get(USERS)
    card = client.get(reverse("staff:user_detail", args=[personas["rep_b"].pk]))
    assert catalog.status_code == card.status_code == 200
    assert b'data-testid="invite-user"' not in catalog.content
    assert b'data-testid="person-actions"' not in card.content
    assert b"/block/" not in card.content and b"/edit/" not in card.content


def test_an_administrator_sees_the_actions(client_as, personas):
    card = client_as("admin").get(reverse("staff:user_detail", args=[personas["rep_b"].pk]))
    assert b'data-testid="person-actions"' in card.content
    assert b'data-testid="block"' in card.content and b'data-testid="resend"' not in card.content


def test_an_unknown_user_is_a_journaled_404(client_as, personas):
    response = client_as("admin").get(reverse("staff:user_detail", args=[999_999]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(event="access.not_found").exists()


# --- query budget --------------------------------------------------------------------------------------------


def test_the_catalog_costs_the_same_with_one_user_or_five_hundred(client_as, personas, project_a, page_queries):
    page_queries(client_as("director"), USERS, grow=lambda: bulk_users(500, project=project_a))


def test_a_filtered_sorted_catalog_costs_the_same(client_as, personas, project_a, page_queries):
    data = {"project": str(project_a.pk), "status": "active", "activity": "never", "o": "-last_login", "q": "a"}
    page_queries(client_as("admin"), USERS, data=data, grow=lambda: bulk_users(500, project=project_a))


def test_a_card_costs_the_same_with_few_or_many_projects_and_events(
    client_as, personas, project_a, project_b, page_queries
):
    import auditlog
    from projects.models import Project

    rep = personas["rep_a"]

    def grow():
        Project.objects.bulk_create([Project(name=f"P{i:03d}", slug=f"p-{i:03d}") for i in range(100)])
        Membership.objects.bulk_create(
            [Membership(user=rep, project=p) for p in Project.objects.filter(slug__startswith="p-")]
        )
        for i in range(30):
            auditlog.record(actor=personas["admin"], event="accounts.user.profile_updated", obj=rep, changes={"n": i})

    page_queries(client_as("admin"), reverse("staff:user_detail", args=[rep.pk]), grow=grow)


def test_the_invite_page_costs_the_same_with_many_projects(client_as, personas, page_queries):
    from projects.models import Project

    grow = lambda: Project.objects.bulk_create([Project(name=f"P{i:03d}", slug=f"p-{i:03d}") for i in range(300)])  # noqa: E731
    page_queries(client_as("admin"), reverse("staff:user_invite"), grow=grow)


# --- search, filters, sort, pages ----------------------------------------------------------------------------


def test_every_user_is_listed_with_role_projects_status_and_last_activity(client_as, personas):
    response = client_as("admin").get(USERS)
    assert sorted(emails_listed(response)) == sorted(u.email for u in personas.values() if u)
    row = re.search(rb'<tr data-email="viewer@alpha.example">.*?</tr>', response.content, re.S).group(0).decode()
    assert "Alpha Lounge" in row and "viewer" in row and "Representative" in row and "never" in row


@pytest.mark.parametrize(
    "query,expected",
    [("алиса", {"алиса@x.example"}), ("BETA.EXAMPLE", {"rep@beta.example"}), ("900 123", {"phone@x.example"})],
    ids=["name-cyrillic", "email", "phone"],
)
def test_search_finds_by_name_email_or_phone(query, expected, client_as, personas):
    UserFactory(email="алиса@x.example", first_name="Алиса", last_name="Смирнова")
    UserFactory(email="phone@x.example", phone="+7 900 123-45-67")
    assert set(emails_listed(client_as("admin").get(USERS, {"q": query}))) == expected


def test_filter_by_role_and_by_every_staff_role(client_as, personas):
    client = client_as("admin")
    assert set(emails_listed(client.get(USERS, {"role": "moderator"}))) == {
        "moderator@misty.example",
        "curator@misty.example",
    }
    assert set(emails_listed(client.get(USERS, {"role": "staff"}))) == {
        "moderator@misty.example",
        "curator@misty.example",
        "admin@misty.example",
        "director@misty.example",
    }


def test_filter_by_project_lists_its_representatives(client_as, personas, project_a):
    listed = emails_listed(client_as("admin").get(USERS, {"project": project_a.pk}))
    assert sorted(listed) == ["rep@alpha.example", "viewer@alpha.example"]


def test_filter_by_status(client_as, personas):
    UserFactory(email="invited@x.example", status=UserStatus.INVITED)
    UserFactory(email="blocked@x.example", status=UserStatus.BLOCKED)
    client = client_as("admin")
    assert emails_listed(client.get(USERS, {"status": "invited"})) == ["invited@x.example"]
    assert emails_listed(client.get(USERS, {"status": "blocked"})) == ["blocked@x.example"]
    assert "invited@x.example" not in emails_listed(client.get(USERS, {"status": "active"}))


@pytest.mark.parametrize(
    "activity,expected",
    [
        ("today", {"today@x.example"}),
        ("7d", {"today@x.example", "week@x.example"}),
        ("30d", {"today@x.example", "week@x.example", "month@x.example"}),
        ("never", {"never@x.example"}),
    ],
)
def test_filter_by_last_activity(activity, expected, client_as, personas):
    User.objects.update(last_login=timezone.now() - dt.timedelta(days=90))  # the personas: long ago
    now = timezone.now()
    UserFactory(email="today@x.example", last_login=now - dt.timedelta(minutes=5))
    UserFactory(email="week@x.example", last_login=now - dt.timedelta(days=3))
    UserFactory(email="month@x.example", last_login=now - dt.timedelta(days=20))
    UserFactory(email="never@x.example", last_login=None)
    client = client_as("admin")
    User.objects.filter(email="admin@misty.example").update(last_login=now - dt.timedelta(days=90))
    listed = set(emails_listed(client.get(USERS, {"activity": activity})))
    assert listed == expected


@pytest.mark.parametrize("name", ["role", "status", "activity", "project", "o"])
def test_an_invalid_filter_empties_the_list_and_says_why(name, client_as, personas):
    response = client_as("admin").get(USERS, {name: "bogus"})
    assert response.status_code == 200
    assert emails_listed(response) == []
    assert response.context["list"].filter.form.errors[name]
    assert b'data-testid="empty-filtered"' in response.content or name == "o"


@pytest.mark.parametrize(
    "order,first,last",
    [
        ("name", "adam", "vera"),
        ("-name", "vera", "adam"),
        ("email", "admin@", "viewer@"),
        ("-email", "viewer@", "admin@"),
        ("role", "admin@", "viewer@"),
        ("-role", "viewer@", "admin@"),
        ("status", "admin@", "invited@"),
    ],
)
def test_sort_by_a_column(order, first, last, client_as, personas):
    UserFactory(email="invited@x.example", first_name="Ivan", status=UserStatus.INVITED)
    listed = client_as("admin").get(USERS, {"o": order}).context["list"]
    keys = [(p.full_name.lower() if "name" in order else p.email) for p in listed]
    assert keys[0].startswith(first) and keys[-1].startswith(last), keys


def test_sort_by_last_activity_puts_people_who_never_came_last_both_ways(client_as, personas):
    now = timezone.now()
    User.objects.update(last_login=None)
    UserFactory(email="old@x.example", last_login=now - dt.timedelta(days=10))
    UserFactory(email="new@x.example", last_login=now - dt.timedelta(days=1))
    client = client_as("admin")
    recent_first = emails_listed(client.get(USERS, {"o": "-last_login"}))
    oldest_first = emails_listed(client.get(USERS, {"o": "last_login"}))
    # The admin's own visit (force_login) is the most recent.
    assert recent_first[:3] == ["admin@misty.example", "new@x.example", "old@x.example"]
    assert oldest_first[:3] == ["old@x.example", "new@x.example", "admin@misty.example"]


def test_the_column_headers_sort_and_keep_the_filters(client_as, personas):
    response = client_as("admin").get(USERS, {"status": "active", "o": "email", "page": "1"})
    sort = response.context["sort"]
    assert sort["email"] == {"href": "?status=active&o=-email", "state": "asc"}
    assert sort["last_login"]["href"] == "?status=active&o=-last_login" and sort["name"]["state"] == ""


def test_pages_keep_filters_and_order(client_as, personas):
    bulk_users(120)
    response = client_as("admin").get(USERS, {"o": "-email", "q": "bulk"})
    assert response.context["list"].page.paginator.count == 120
    assert "o=-email" in response.content.decode() and "page=2" in response.content.decode()
    second = client_as("admin").get(USERS, {"o": "-email", "q": "bulk", "page": 2})
    assert emails_listed(second)[0] == "bulk0069@people.example"


# --- export --------------------------------------------------------------------------------------------------


def xlsx_rows(response):
    assert response.status_code == 200, response
    body = b"".join(response.streaming_content)
    return [list(row) for row in load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True)]


@pytest.mark.parametrize("persona", ["director", "moderator", "admin"])
def test_the_export_has_the_filtered_rows_with_projects(persona, client_as, personas, project_a):
    rows = xlsx_rows(client_as(persona).get(reverse("staff:users_export"), {"project": project_a.pk, "format": "xlsx"}))
    header, body = rows[0], rows[1:]
    assert header[:6] == ["Name", "Email", "Phone", "Role", "Status", "Projects"]
    assert [(r[1], r[5]) for r in body] == [
        ("rep@alpha.example", "Alpha Lounge"),
        ("viewer@alpha.example", "Alpha Lounge (viewer)"),
    ]
    event = AuditEvent.objects.get(event="exports.exported")
    assert event.changes["rows"] == 2 and event.changes["export"] == "users"


def test_an_invalid_export_filter_is_refused_and_nothing_is_journaled(client_as, personas):
    response = client_as("director").get(reverse("staff:users_export"), {"activity": "bogus", "format": "xlsx"})
    assert response.status_code == 302 and response["Location"].startswith(USERS)
    assert not AuditEvent.objects.filter(event="exports.exported").exists()


# --- invite --------------------------------------------------------------------------------------------------

INVITE = reverse("staff:user_invite")


def invitation(project, **fields):
    data = {
        "email": "Nina@Alpha.example",
        "first_name": "Nina",
        "last_name": "Petrova",
        "phone": "+7 900 111-22-33",
        "role": "representative",
        "language": "ru",
        "time_zone": "Europe/Moscow",
        "projects-TOTAL_FORMS": "2",
        "projects-INITIAL_FORMS": "0",
        "projects-0-project": str(project.pk),
        "projects-0-right": "viewer",
        "projects-1-project": "",
        "projects-1-right": "manager",
    }
    data.update(fields)
    return data


def test_an_administrator_invites_a_representative_with_a_right_in_a_project(client_as, personas, project_a):
    response = client_as("admin").post(INVITE, invitation(project_a))
    person = User.objects.get(email="nina@alpha.example")
    assert response.status_code == 302 and response["Location"] == reverse("staff:user_detail", args=[person.pk])
    assert (person.status, person.invited_by, person.phone) == (
        UserStatus.INVITED,
        personas["admin"],
        "+7 900 111-22-33",
    )
    assert list(Membership.objects.filter(user=person).values_list("project__slug", "right")) == [("alpha", "viewer")]
    assert mail.outbox[-1].to == ["nina@alpha.example"] and "/invitation/" in mail.outbox[-1].body


def test_inviting_staff_ignores_the_hidden_project_rows(client_as, personas, project_a):
    response = client_as("admin").post(INVITE, invitation(project_a, role="moderator"))
    assert response.status_code == 302
    person = User.objects.get(email="nina@alpha.example")
    assert person.role == Role.MODERATOR and not Membership.objects.filter(user=person).exists()


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"email": "REP@alpha.example"}, "already"),
        ({"projects-0-project": ""}, "A representative needs at least one project."),
        ({"projects-1-project": "__a"}, "Select a valid choice"),
        ({"first_name": "   "}, "Enter the person&#x27;s name."),
        ({"phone": "call me"}, "Enter a phone number"),
    ],
    ids=["email-in-use", "no-project", "unknown-project", "blank-name", "bad-phone"],
)
def test_a_refused_invitation_says_why_and_keeps_what_was_typed(fields, message, client_as, personas, project_a):
    data = invitation(project_a, **fields)
    response = client_as("admin").post(INVITE, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'value="Petrova"' in content
    assert f'<option value="{project_a.pk}" selected>' in content or "projects-0-project" in fields
    assert not User.objects.filter(email="nina@alpha.example").exists() or fields.get("email")
    assert len(mail.outbox) == 0


def test_a_project_named_twice_is_an_error_on_its_row(client_as, personas, project_a):
    data = invitation(project_a, **{"projects-1-project": str(project_a.pk)})
    response = client_as("admin").post(INVITE, data)
    assert "This project is already chosen above." in response.content.decode()
    assert not User.objects.filter(email="nina@alpha.example").exists()


def test_more_projects_adds_rows_and_keeps_everything_typed_without_saving(client_as, personas, project_a):
    response = client_as("admin").post(INVITE, {**invitation(project_a), "more_projects": "1"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows.forms) == 1 + 3 and rows.forms[0].initial == {"project": str(project_a.pk), "right": "viewer"}
    content = response.content.decode()
    assert 'value="Nina@Alpha.example"' in content and "is-invalid" not in content
    assert not User.objects.filter(email="nina@alpha.example").exists()


# --- the card ------------------------------------------------------------------------------------------------


def test_the_card_shows_contacts_projects_inviter_and_recent_events(client_as, personas, project_a, project_b):
    import auditlog

    admin, rep = personas["admin"], personas["rep_a"]
    rep.invited_by, rep.invited_at = admin, timezone.now()
    rep.save(update_fields=["invited_by", "invited_at"])
    MembershipFactory(user=rep, project=project_b, right=ProjectRight.VIEWER)
    auditlog.record(actor=admin, event="accounts.user.blocked", obj=rep)  # done to rep
    auditlog.record(actor=rep, event="accounts.login", obj=rep)  # done by rep
    auditlog.record(actor=admin, event="accounts.user.blocked", obj=personas["rep_b"])  # someone else's
    response = client_as("director").get(reverse("staff:user_detail", args=[rep.pk]))
    content = response.content.decode()
    assert "rep@alpha.example" in content and "Adam Admin" in content
    projects = re.search(r'data-testid="person-projects".*?</ul>', content, re.S).group(0)
    assert "Alpha Lounge" in projects and "Beta Barbershop" in projects and "Viewer" in projects
    assert [e.event for e in response.context["events"]] == ["accounts.login", "accounts.user.blocked"]


def test_the_card_lists_at_most_twenty_events(client_as, personas):
    import auditlog

    for _ in range(25):
        auditlog.record(actor=personas["rep_a"], event="accounts.login")
    response = client_as("admin").get(reverse("staff:user_detail", args=[personas["rep_a"].pk]))
    assert len(response.context["events"]) == 20


# --- edit ------------------------------------------------------------------------------------------------------


def contacts(user, **fields):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "role": user.role,
        "language": user.language,
        "time_zone": user.time_zone,
    }
    data.update(fields)
    return data


def test_an_administrator_edits_contacts_email_and_role(client_as, personas):
    rep = personas["rep_b"]
    data = contacts(rep, email="New@Beta.example", phone="+7 900 555-44-33", role="moderator", last_name="Berg")
    response = client_as("admin").post(reverse("staff:user_edit", args=[rep.pk]), data)
    assert response.status_code == 302
    rep.refresh_from_db()
    assert (rep.email, rep.phone, rep.role, rep.full_name) == (
        "new@beta.example",
        "+7 900 555-44-33",
        "moderator",
        "Bob Berg",
    )
    assert not Membership.objects.filter(user=rep).exists()  # staff are members of no project
    codes = set(AuditEvent.objects.filter(object_id=str(rep.pk)).values_list("event", flat=True))
    assert {"accounts.user.email_changed", "accounts.user.role_changed", "accounts.user.profile_updated"} <= codes
    assert "accounts.user.memberships_changed" in codes


def test_an_administrator_cannot_demote_themselves_and_nothing_else_changes(client_as, personas):
    admin = personas["admin"]
    data = contacts(admin, role="director", phone="+7 900 000-00-01")
    response = client_as("admin").post(reverse("staff:user_edit", args=[admin.pk]), data)
    assert response.status_code == 200
    assert "You cannot change your own role." in response.content.decode()
    assert 'value="+7 900 000-00-01"' in response.content.decode()
    admin.refresh_from_db()
    assert (admin.role, admin.phone) == ("admin", "")


def test_an_email_in_use_is_refused_on_edit(client_as, personas):
    rep = personas["rep_b"]
    response = client_as("admin").post(
        reverse("staff:user_edit", args=[rep.pk]), contacts(rep, email="rep@alpha.example")
    )
    assert response.status_code == 200 and "already" in response.content.decode()
    rep.refresh_from_db()
    assert rep.email == "rep@beta.example"


def test_editing_without_changing_anything_writes_nothing(client_as, personas):
    rep = personas["rep_b"]
    response = client_as("admin").post(reverse("staff:user_edit", args=[rep.pk]), contacts(rep))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(object_id=str(rep.pk), event__startswith="accounts.user.").exists()


def test_moderators_cannot_post_any_change(client_as, personas, project_b):
    rep = personas["rep_b"]
    client = client_as("moderator")
    for url, data in [
        (reverse("staff:user_edit", args=[rep.pk]), contacts(rep, phone="+7 900 000-00-02")),
        (reverse("staff:user_block", args=[rep.pk]), {"reason": "x"}),
        (reverse("staff:user_resend", args=[rep.pk]), {}),
    ]:
        assert client.post(url, data).status_code == 403
    rep.refresh_from_db()
    assert (rep.phone, rep.status) == ("", UserStatus.ACTIVE)


# --- projects and rights ---------------------------------------------------------------------------------------


def rights(*pairs):
    data = {"projects-TOTAL_FORMS": str(len(pairs)), "projects-INITIAL_FORMS": "0"}
    for index, (project, right) in enumerate(pairs):
        data[f"projects-{index}-project"] = str(project.pk) if project else ""
        data[f"projects-{index}-right"] = right
    return data


def test_the_projects_page_shows_current_rights_and_sets_new_ones(client_as, personas, project_a, project_b):
    rep = personas["rep_a"]
    url = reverse("staff:user_projects", args=[rep.pk])
    client = client_as("admin")
    page = client.get(url)
    assert page.context["rows"].forms[0].initial == {"project": str(project_a.pk), "right": "manager"}
    response = client.post(url, rights((project_a, "viewer"), (project_b, "manager"), (None, "manager")))
    assert response.status_code == 302
    assert dict(Membership.objects.filter(user=rep).values_list("project__slug", "right")) == {
        "alpha": "viewer",
        "beta": "manager",
    }
    assert AuditEvent.objects.filter(event="accounts.user.memberships_changed", object_id=str(rep.pk)).exists()


def test_staff_cannot_be_given_projects(client_as, personas, project_a):
    moderator = personas["moderator"]
    response = client_as("admin").post(
        reverse("staff:user_projects", args=[moderator.pk]), rights((project_a, "manager"))
    )
    assert response.status_code == 200
    assert "Only representatives are members of projects." in response.content.decode()
    assert not Membership.objects.filter(user=moderator).exists()


# --- block, unblock, resend ------------------------------------------------------------------------------------


def test_blocking_asks_for_confirmation_then_blocks_with_the_reason(client_as, personas):
    rep = personas["rep_b"]
    url = reverse("staff:user_block", args=[rep.pk])
    client = client_as("admin")
    page = client.get(url)
    assert page.status_code == 200 and b'data-testid="reason-form"' in page.content
    rep.refresh_from_db()
    assert rep.status == UserStatus.ACTIVE  # the GET changed nothing
    response = client.post(url, {"reason": "Left the company"})
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.status == UserStatus.BLOCKED
    event = AuditEvent.objects.get(event="accounts.user.blocked")
    assert event.changes["reason"] == {"old": "", "new": "Left the company"}


def test_blocking_needs_a_reason(client_as, personas):
    rep = personas["rep_b"]
    response = client_as("admin").post(reverse("staff:user_block", args=[rep.pk]), {"reason": "  "})
    assert response.status_code == 200 and "Say why." in response.content.decode()
    rep.refresh_from_db()
    assert rep.status == UserStatus.ACTIVE


def test_an_administrator_cannot_block_themselves_and_is_told_so(client_as, personas):
    admin = personas["admin"]
    response = client_as("admin").post(reverse("staff:user_block", args=[admin.pk]), {"reason": "Testing"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "You cannot block yourself." in content and "Testing" in content
    admin.refresh_from_db()
    assert admin.status == UserStatus.ACTIVE


def test_the_last_active_administrator_cannot_be_blocked_through_the_page(client_as, personas, monkeypatch):
    """Another administrator acting makes two: the guard answers when the other one is gone meanwhile
    (blocked in the same moment by a third hand), which the page must still report clearly."""
    from accounts import services

    other = UserFactory(email="other-admin@misty.example", role=Role.ADMIN)
    monkeypatch.setattr(services, "_is_last_active_admin", lambda user: user.pk == other.pk)
    response = client_as("admin").post(reverse("staff:user_block", args=[other.pk]), {"reason": "Leaving"})
    assert response.status_code == 200
    assert "This is the last active administrator" in response.content.decode()
    other.refresh_from_db()
    assert other.status == UserStatus.ACTIVE


def test_unblocking_restores_the_account(client_as, personas):
    blocked = UserFactory(email="blocked@x.example", status=UserStatus.BLOCKED)
    client = client_as("admin")
    card = client.get(reverse("staff:user_detail", args=[blocked.pk]))
    assert b'data-testid="unblock"' in card.content and b'data-testid="block"' not in card.content
    response = client.post(reverse("staff:user_unblock", args=[blocked.pk]), {"reason": "Came back"})
    assert response.status_code == 302
    blocked.refresh_from_db()
    assert blocked.status == UserStatus.ACTIVE
    assert AuditEvent.objects.filter(event="accounts.user.unblocked", object_id=str(blocked.pk)).exists()


def test_the_block_page_of_a_blocked_person_says_so_without_a_form(client_as, personas):
    blocked = UserFactory(email="blocked@x.example", status=UserStatus.BLOCKED)
    page = client_as("admin").get(reverse("staff:user_block", args=[blocked.pk]))
    assert b"already blocked" in page.content and b'data-testid="reason-form"' not in page.content


def test_the_invitation_is_sent_again_to_an_invited_person(client_as, personas, project_a):
    client = client_as("admin")
    client.post(INVITE, invitation(project_a))
    person = User.objects.get(email="nina@alpha.example")
    card = client.get(reverse("staff:user_detail", args=[person.pk]))
    assert b'data-testid="resend"' in card.content
    response = client.post(reverse("staff:user_resend", args=[person.pk]), follow=True)
    assert "The invitation has been sent again to nina@alpha.example." in response.content.decode()
    assert len(mail.outbox) == 2 and mail.outbox[-1].to == ["nina@alpha.example"]


def test_an_active_person_is_not_invited_again(client_as, personas):
    rep = personas["rep_b"]
    response = client_as("admin").post(reverse("staff:user_resend", args=[rep.pk]), follow=True)
    assert "Only a person who has not set a password yet can be invited again." in response.content.decode()
    assert len(mail.outbox) == 0


def test_resend_is_post_only(client_as, personas):
    assert client_as("admin").get(reverse("staff:user_resend", args=[personas["rep_b"].pk])).status_code == 405


# --- navigation and the dashboard ------------------------------------------------------------------------------


def test_staff_navigation_links_the_catalog_and_the_dashboard_figures_link_its_filters(client_as, personas):
    content = client_as("director").get(reverse("staff:dashboard")).content.decode()
    assert 'data-testid="nav-users"' in content
    for query in (
        "role=representative&amp;status=active",
        "role=staff&amp;status=active",
        "status=invited",
        "status=blocked",
    ):
        assert f'href="{USERS}?{query}"' in content
    staff = client_as("director").get(USERS, {"role": "staff", "status": "active"})
    assert len(emails_listed(staff)) == 4
