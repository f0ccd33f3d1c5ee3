"""Staff → People → Import: an administrator invites many people from a file, all or none."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role, User, UserStatus
from auditlog.models import AuditEvent
from notifications.models import Notification
from projects.models import Membership, ProjectRight

URL = "/staff/users/import/"

GOOD = (
    "email;first name;last name;phone;role;project slug;right;language\r\n"
    "nina@alpha.example;Нина;Петрова;+7 900 111-22-33;representative;alpha;manager;ru\r\n"
    "NINA@alpha.example;Нина;Петрова;+7 900 111-22-33;Представитель;beta;viewer;ru\r\n"
    "mark@misty.example;Mark;Moderov;;moderator;;;en\r\n"
)


@pytest.fixture
def upload(client_as, admin, project_a, project_b, django_capture_on_commit_callbacks):
    def post(text, *, name="people.csv", encoding="utf-8-sig", persona="admin"):
        client = client_as(persona)
        file = SimpleUploadedFile(name, text.encode(encoding) if isinstance(text, str) else text)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, {"file": file}, HTTP_ACCEPT_LANGUAGE="en")

    return post


def test_the_url_is_the_one_the_people_pages_link_to():
    assert reverse("staff:users_import") == URL


def test_a_good_file_invites_everyone_once_with_their_projects(upload, project_a, project_b, admin):
    response = upload(GOOD)

    assert response.status_code == 302
    nina = User.objects.get(email="nina@alpha.example")
    assert (nina.status, nina.role, nina.first_name, nina.language) == (
        UserStatus.INVITED,
        Role.REPRESENTATIVE,
        "Нина",
        "ru",
    )
    rights = dict(Membership.objects.filter(user=nina).values_list("project__slug", "right"))
    assert rights == {"alpha": ProjectRight.MANAGER, "beta": ProjectRight.VIEWER}
    mark = User.objects.get(email="mark@misty.example")
    assert (mark.role, mark.language, mark.memberships.count()) == (Role.MODERATOR, "en", 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["mark@misty.example", "nina@alpha.example"]
    summary = AuditEvent.objects.get(event="accounts.users.imported")
    assert summary.actor == admin and summary.changes["people"] == 2 and summary.changes["rows"] == 3


def test_the_summary_is_shown_after_the_redirect(upload, client):
    upload(GOOD)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 people invited from 3 rows" in page


def test_one_bad_row_invites_nobody_and_every_bad_row_is_listed(upload, rep_a):
    text = (
        "email,first name,last name,role,project slug,right\n"
        "ok@alpha.example,Ok,Person,representative,alpha,manager\n"  # 2: good
        "broken-email,Bad,Email,representative,alpha,manager\n"  # 3
        "norole@alpha.example,No,Role,chief,alpha,manager\n"  # 4
        "noproject@alpha.example,No,Project,representative,,manager\n"  # 5
        "ghost@alpha.example,Ghost,Project,representative,nowhere,manager\n"  # 6
        "rep@alpha.example,Alice,Alpha,representative,beta,manager\n"  # 7: has an account already
        "ok@alpha.example,Ok,Person,representative,alpha,viewer\n"  # 8: the same person and project again
        "ok@alpha.example,Other,Name,representative,beta,manager\n"  # 9: the same email, other details
        "staff@misty.example,Sta,Ff,moderator,alpha,manager\n"  # 10: staff in a project
        "badright@alpha.example,Bad,Right,representative,alpha,owner\n"  # 11
    )
    response = upload(text)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="import-errors"' in page
    lines = [int(n) for n in re.findall(r'<td data-label="Line">(\d+)</td>', page)]
    assert lines == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    for reason in (
        "Enter a valid email address.",
        "Unknown role “chief”.",
        "A representative needs a project.",
        "No active project with the slug “nowhere”.",
        "Another account already uses this email address.",
        "Repeats line 2",
        "The same email is on line 2 with other details",
        "Staff are not members of projects",
        "Unknown right “owner”",
    ):
        assert reason in page, reason
    assert (
        not User.objects.exclude(pk__in=[rep_a.pk]).filter(role=Role.REPRESENTATIVE, status=UserStatus.INVITED).exists()
    )
    assert not mail.outbox
    assert not Notification.objects.filter(event="accounts.user.invited").exists()
    assert not AuditEvent.objects.filter(event__in=["accounts.user.invited", "accounts.users.imported"]).exists()


def test_an_xlsx_file_works_too(upload, project_a):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Email", "Имя", "Фамилия", "Телефон", "Роль", "Проект", "Право"])
    workbook.active.append(["olga@alpha.example", "Ольга", "Орлова", 89001112233, "", "alpha", ""])
    target = io.BytesIO()
    workbook.save(target)

    assert upload(target.getvalue(), name="people.xlsx").status_code == 302
    olga = User.objects.get(email="olga@alpha.example")
    assert olga.phone == "89001112233"
    assert Membership.objects.get(user=olga).right == ProjectRight.MANAGER  # the default right


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("people.pdf", b"%PDF-1.4", "Upload an .xlsx or .csv file."),
        ("people.xlsx", b"email\nx@y.example\n", "This file is not a real .xlsx workbook."),
        ("people.csv", b"\x89PNG\r\n\x1a\n\0\0\0", "This file is not a text CSV file"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_with_a_clear_message(upload, name, content, message):
    response = upload(content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.filter(status=UserStatus.INVITED).count() == 0


def test_the_template_has_the_header_and_an_example_row(client_as, admin):
    response = client_as("admin").get(reverse("staff:users_import_template"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="people-import.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Email", "First name", "Last name", "Phone", "Role", "Project slug", "Right", "Language"]
    assert rows[1][0] == "anna@example.com" and len(rows) == 2


def test_import_page_budget(client_as, admin, page_queries):
    from tests.cabinets.test_query_budget import add_projects

    page_queries(client_as("admin"), URL, grow=lambda: add_projects(100))
