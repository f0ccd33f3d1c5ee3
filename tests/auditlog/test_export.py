"""Exports: the journal streams as XLSX/CSV with formulas neutralised, each export is journaled, and
`manage.py export_audit` writes a file for operations and refuses bad input."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

import auditlog
from accounts import events as account_events
from auditlog import events
from auditlog.models import AuditEvent

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


def xlsx_rows(response):
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def hostile_event(admin, project_a):
    admin.first_name, admin.last_name = "=cmd|' /C calc'!A0", ""
    admin.save()
    return auditlog.record(
        actor=admin,
        event=account_events.USER_BLOCKED,
        project=project_a,
        object_text="@SUM(1+1)*cmd",
        changes={"note": ("-2+3", "+danger")},
    )


def test_export_streams_a_valid_xlsx_with_formulas_neutralised(client_as, hostile_event):
    response = client_as("director").get(
        reverse("staff:audit_export"), {"event": account_events.USER_BLOCKED, "format": "xlsx"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-journal-')
    header, *data = xlsx_rows(response)
    assert header[:3] == ["Time (Europe/Moscow)", "Actor", "Actor email"]
    [row] = data
    assert row[1] == "'=cmd|' /C calc'!A0"
    assert row[6] == "accounts.user.blocked"
    assert row[9] == "'@SUM(1+1)*cmd"
    assert row[10] == "Alpha Lounge"
    assert row[11] == "note: -2+3 → +danger", "changes read as text, not as JSON"
    assert isinstance(row[0], datetime.datetime)
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for v in row)


def test_export_follows_the_filters_and_is_journaled(client_as, director, make_events, admin):
    make_events(3, event=account_events.LOGOUT, actor=admin)
    make_events(2, event=account_events.USER_UNBLOCKED, actor=admin)
    client = client_as("director")

    response = client.get(
        reverse("staff:audit_export"),
        {"event": account_events.LOGOUT, "actor": "adam", "format": "xlsx"},
        REMOTE_ADDR="198.51.100.77",
    )
    _header, *data = xlsx_rows(response)
    assert [r[6] for r in data] == [account_events.LOGOUT] * 3

    [exported] = AuditEvent.objects.filter(event=events.AUDIT_EXPORTED)
    assert exported.actor == director and exported.ip == "198.51.100.77"
    assert exported.changes == {
        "export": "audit-journal",
        "format": "xlsx",
        "rows": 3,
        "filters": {"event": account_events.LOGOUT, "actor": "adam"},
    }


def test_export_as_csv(client_as, hostile_event):
    response = client_as("moderator").get(
        reverse("staff:audit_export"), {"event": account_events.USER_BLOCKED, "format": "csv"}
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body)))
    assert header[0] == "Time (Europe/Moscow)" and row[1] == "'=cmd|' /C calc'!A0" and row[9] == "'@SUM(1+1)*cmd"


def test_an_unknown_export_format_is_refused_with_a_message_and_exports_nothing(client_as, db):
    response = client_as("admin").get(
        reverse("staff:audit_export"), {"format": "exe", "event": account_events.LOGOUT}, follow=True
    )
    assert response.redirect_chain[0][0] == f"{reverse('staff:audit')}?event={account_events.LOGOUT}"
    assert "Choose Excel or CSV for the export." in [str(m) for m in response.context["messages"]]
    assert not AuditEvent.objects.filter(event=events.AUDIT_EXPORTED).exists()


@pytest.mark.parametrize(
    "query",
    [
        {"event": "bogus"},
        {"date_from": "2026-03-05", "date_to": "2026-03-01"},
        {"date_from": "not-a-date"},
        {"project": "999999"},
    ],
)
def test_an_invalid_filter_is_refused_not_widened_to_everything(client_as, admin, make_events, query):
    make_events(3, event=account_events.LOGOUT, actor=admin)
    response = client_as("admin").get(reverse("staff:audit_export"), {"format": "csv", **query}, follow=True)
    assert response.status_code == 200 and response.redirect_chain, "refused: back to the journal"
    page_errors = response.context["list"].filter.form.errors
    assert page_errors, "the journal shows the same errors"
    shown = [str(m) for m in response.context["messages"]]
    assert shown and all(any(str(e) in m for m in shown) for errors in page_errors.values() for e in errors)
    assert not AuditEvent.objects.filter(event=events.AUDIT_EXPORTED).exists()
    assert list(response.context["list"].page) == [], "and the page itself lists nothing for an invalid filter"


def test_export_needs_the_export_capability(client_as, moderator, monkeypatch):
    from accounts import capabilities as policy

    monkeypatch.setitem(
        policy.ROLE_CAPABILITIES, "moderator", policy.ROLE_CAPABILITIES["moderator"] - {policy.Capability.EXPORT_ALL}
    )
    assert client_as("moderator").get(reverse("staff:audit_export")).status_code == 403
    assert AuditEvent.objects.filter(event=events.ACCESS_FORBIDDEN, actor=moderator).exists()


class TestExportAuditCommand:
    def test_writes_the_events_of_the_period(self, make_events, admin, tmp_path, settings):
        settings.TIME_ZONE = "Europe/Moscow"
        make_events(2, event=account_events.LOGOUT, actor=admin, at=datetime.datetime(2026, 3, 1, 12, tzinfo=MOSCOW))
        make_events(1, event=account_events.LOGOUT, actor=admin, at=datetime.datetime(2026, 3, 5, 12, tzinfo=MOSCOW))
        out = tmp_path / "audit.xlsx"
        stdout = io.StringIO()

        call_command("export_audit", "--since", "2026-03-01", "--until", "2026-03-02", "--out", str(out), stdout=stdout)

        rows = [list(r) for r in load_workbook(out, read_only=True).active.iter_rows(values_only=True)]
        assert len(rows) == 1 + 2 and "Wrote 2 audit events" in stdout.getvalue()
        exported = AuditEvent.objects.get(event=events.AUDIT_EXPORTED)
        assert exported.actor is None and exported.changes["rows"] == 2
        assert exported.changes["filters"] == {"date_from": "2026-03-01", "date_to": "2026-03-02"}

    def test_writes_csv_too(self, make_events, tmp_path):
        make_events(1, event=account_events.LOGOUT, at=datetime.datetime(2026, 3, 1, 12, tzinfo=MOSCOW))
        out = tmp_path / "audit.csv"
        call_command(
            "export_audit", "--since", "2026-03-01", "--until", "2026-03-01", "--out", str(out), stdout=io.StringIO()
        )
        assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 2

    @pytest.mark.parametrize(
        "args,message",
        [
            (["--since", "2026-13-01", "--until", "2026-03-01"], "--since must be a date as YYYY-MM-DD"),
            (["--since", "01.03.2026", "--until", "2026-03-01"], "--since must be a date as YYYY-MM-DD"),
            (["--since", "2026-03-01", "--until", "yesterday"], "--until must be a date as YYYY-MM-DD"),
            (["--since", "2026-03-02", "--until", "2026-03-01"], "is after --until"),
        ],
    )
    def test_refuses_bad_dates(self, db, tmp_path, args, message):
        out = tmp_path / "audit.xlsx"
        with pytest.raises(CommandError, match=message):
            call_command("export_audit", *args, "--out", str(out))
        assert not out.exists()

    def test_refuses_a_bad_output_path(self, db, tmp_path):
        with pytest.raises(CommandError, match=r"must end in \.xlsx or \.csv"):
            call_command(
                "export_audit", "--since", "2026-03-01", "--until", "2026-03-01", "--out", str(tmp_path / "a.pdf")
            )
        with pytest.raises(CommandError, match="does not exist"):
            call_command(
                "export_audit",
                "--since",
                "2026-03-01",
                "--until",
                "2026-03-01",
                "--out",
                str(tmp_path / "no" / "a.xlsx"),
            )

    def test_bad_input_exits_non_zero_from_the_shell(self, tmp_path):
        import subprocess
        import sys

        from django.conf import settings as django_settings

        result = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "export_audit",
                "--since",
                "2026-02-30",
                "--until",
                "2026-03-01",
                "--out",
                str(tmp_path / "a.xlsx"),
            ],
            cwd=django_settings.BASE_DIR,
            capture_output=True,
            text=True,
            env={"DJANGO_SETTINGS_MODULE": "portal.settings.test", "PATH": "/usr/bin:/bin"},
            timeout=120,
        )
        assert result.returncode != 0
        assert "--since must be a date as YYYY-MM-DD" in result.stderr
