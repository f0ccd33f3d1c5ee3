"""Importing referred visits from a file (visits/imports.py): all or none, every bad row with its line and
reason, the same writes as visit_record (legs, roll-ups), replays skipped, the quota taken in file order."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from auditlog.models import AuditEvent
from offers import codes
from offers.models import CloseReason, DealStatus, LotStatus
from tests.visits.conftest import make_deal
from visits import checks
from visits.imports import VisitImporter
from visits.models import DealDay, EntryKind, LedgerEntry, Visit, VisitSource
from visits.services import visit_record

pytestmark = pytest.mark.django_db

HEADER = "code;client_phone;client_card;visited_at;check_amount;points_spent;external_id"
MOSCOW = ZoneInfo("Europe/Moscow")


def soon(minutes=1):
    """A visit time just after the deal started (deals in these tests start now), as a till writes it."""
    return (timezone.now() + dt.timedelta(minutes=minutes)).astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M:%S")


def phone(n: int) -> str:
    return f"+7 916 {n // 10000 % 1000:03d}-{n // 100 % 100:02d}-{n % 100:02d}"


def csv_file(lines, name="visits.csv"):
    return SimpleUploadedFile(name, ("\n".join([HEADER, *lines]) + "\n").encode("utf-8"))


def run(lines, actor=None, **kwargs):
    return VisitImporter(actor=actor).run(csv_file(lines, **kwargs))


@pytest.fixture
def code(deal):
    return codes.display(deal.code)


def test_a_good_file_writes_visits_legs_and_rollups_like_visit_record(deal, code, moderator):
    result = run(
        [
            f"{code.lower()};{phone(1)};;{soon()};1500,50;20;till-1",
            f"{code};;CARD-0001;{soon()};;;till-2",
            f"{code};{phone(2)};;{soon()};300;;",
        ],
        actor=moderator,
    )

    assert result.ok, result.errors
    assert (result.created.created, result.created.skipped, result.rows) == (3, 0, 3)
    visits = Visit.objects.filter(deal=deal)
    assert visits.count() == 3 and set(visits.values_list("source", flat=True)) == {VisitSource.IMPORT}
    first = visits.get(external_id="till-1")
    assert (first.check_amount, first.points_spent, first.reward, first.recorded_by) == (
        first.check_amount.__class__("1500.50"),
        20,
        300,
        moderator,
    )
    assert LedgerEntry.objects.filter(visit=first, kind=EntryKind.POINTS_SPENT).get().points == -20
    assert LedgerEntry.objects.filter(visit__deal=deal, kind=EntryKind.REWARD, project=deal.partner).count() == 3
    assert sum(DealDay.objects.filter(deal=deal).values_list("visits", flat=True)) == 3
    assert checks.first_violation() is None, "roll-ups equal the raw sums after an import"
    event = AuditEvent.objects.get(event="visits.visits.imported")
    assert event.actor == moderator
    assert (event.changes["file"], event.changes["rows"], event.changes["created"]) == ("visits.csv", 3, 3)
    assert not AuditEvent.objects.filter(event="visits.visit.recorded").exists(), "one event for the file"


def test_an_xlsx_workbook_with_russian_headers_and_real_dates(deal, code):
    book = Workbook()
    sheet = book.active
    sheet.append(["Код сделки", "Телефон клиента", "Время визита", "Сумма чека"])
    moment = (timezone.now() + dt.timedelta(minutes=2)).astimezone(MOSCOW).replace(tzinfo=None, microsecond=0)
    sheet.append([code, 79161234567, moment, 2500])
    target = io.BytesIO()
    book.save(target)

    result = VisitImporter(actor=None).run(SimpleUploadedFile("visits.xlsx", target.getvalue()))

    assert result.ok, result.errors
    visit = Visit.objects.get()
    assert visit.visited_at == moment.replace(tzinfo=MOSCOW) and visit.check_amount == 2500


def test_one_bad_row_imports_nothing_and_every_bad_row_is_listed(deal, code, rep_a, rep_b, moderator, project_a):
    small = make_deal(
        owner_rep=rep_a,
        partner_rep=rep_b,
        moderator=moderator,
        owner=project_a,
        partner=deal.partner,
        quota=2,
        title="Two guests only",
    )
    small_code = codes.display(small.code)
    visit_record(code=code, source="manual", owner=project_a, client_phone=phone(99))
    result = run(
        [
            f"{code};{phone(1)};;{soon()};;;a-1",  # 2: good
            f"ZZZ-ZZZ;{phone(2)};;{soon()};;;",  # 3: no such deal
            f"{code};12;;{soon()};;;",  # 4: not a phone
            f"{code};{phone(3)};CARD-1;{soon()};;;",  # 5: both phone and card
            f"{code};{phone(4)};;{soon(60 * 24)};;;",  # 6: in the future
            f"{code};{phone(5)};;yesterday;;;",  # 7: no time
            f"{code};{phone(6)};;{soon()};-5;;",  # 8: negative check
            f"{code};{phone(1)};;{soon()};;;",  # 9: the same client as line 2, same lot
            f"{code};{phone(7)};;{soon()};;;a-1",  # 10: the external id of line 2
            f"{code};{phone(99)};;{soon()};;;",  # 11: counted before the import
            f"{small_code};{phone(10)};;{soon()};;;",  # 12: good (1 of 2)
            f"{small_code};{phone(11)};;{soon()};;;",  # 13: good (2 of 2)
            f"{small_code};{phone(12)};;{soon()};;;",  # 14: over the quota
        ],
        actor=moderator,
    )

    assert not result.ok
    lines = {error.line: error.message for error in result.errors}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 14]
    assert "No deal has this code" in lines[3]
    assert "not a phone number" in lines[4]
    assert "not both" in lines[5]
    assert "in the future" in lines[6]
    assert "31.05.2025 18:30" in lines[7]
    assert "check amount" in lines[8]
    assert "line 2" in lines[9] and "same client" in lines[9]
    assert "line 2" in lines[10] and "external id" in lines[10]
    assert "already been counted" in lines[11]
    assert "quota is reached: 2" in lines[14]
    assert Visit.objects.count() == 1, "nothing imported: only the visit recorded before"
    assert not AuditEvent.objects.filter(event="visits.visits.imported").exists()
    small.lot.refresh_from_db()
    assert small.lot.status == LotStatus.PUBLISHED


def test_a_file_that_fills_a_lot_closes_it_and_completes_its_deals(deal, code, rep_a, rep_b, moderator, project_a):
    small = make_deal(
        owner_rep=rep_a,
        partner_rep=rep_b,
        moderator=moderator,
        owner=project_a,
        partner=deal.partner,
        quota=2,
        title="Two guests only",
    )
    small_code = codes.display(small.code)

    result = run([f"{small_code};{phone(1)};;{soon()};;;", f"{small_code};{phone(2)};;{soon()};;;"])

    assert result.ok, result.errors
    small.lot.refresh_from_db()
    small.refresh_from_db()
    assert (small.lot.status, small.lot.close_reason, small.status) == (
        LotStatus.CLOSED,
        CloseReason.QUOTA,
        DealStatus.COMPLETED,
    )
    assert checks.first_violation() is None


def test_a_replayed_file_is_skipped_and_other_data_under_the_same_id_is_an_error(deal, code):
    lines = [f"{code};{phone(1)};;{soon()};100;;t-1", f"{code};{phone(2)};;{soon()};200;;t-2"]
    assert run(lines).ok

    again = run([*lines, f"{code};{phone(3)};;{soon()};300;;t-3"])

    assert again.ok, again.errors
    assert (again.created.created, again.created.skipped) == (1, 2)
    assert Visit.objects.count() == 3

    changed = run([f"{code};{phone(1)};;{soon()};999;;t-1"])
    assert [error.line for error in changed.errors] == [2]
    assert "other data" in changed.errors[0].message
    assert checks.first_violation() is None


def test_the_header_needs_the_clients_column(deal, code):
    file = SimpleUploadedFile("v.csv", f"code;visited_at\n{code};{soon()}\n".encode())
    result = VisitImporter(actor=None).run(file)
    assert result.errors[0].line == 1 and "phone" in result.errors[0].message


def test_staff_import_page_reports_the_bad_rows_and_imports_a_good_file(client_as, deal, code):
    client = client_as("moderator")
    url = reverse("staff:visits_import")
    bad = client.post(url, {"file": csv_file([f"{code};{phone(1)};;{soon()};;;", f"{code};x;;{soon()};;;"])})
    assert bad.status_code == 200
    assert b'data-testid="import-errors"' in bad.content and Visit.objects.count() == 0

    good = client.post(url, {"file": csv_file([f"{code};{phone(1)};;{soon()};;;"])})
    assert good.status_code == 302 and Visit.objects.count() == 1
    page = client.get(url).content.decode()
    assert "1 visit imported from 1 rows" in page

    template = client.get(reverse("staff:visits_import_template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_management_command_imports_and_refuses_with_the_lines(deal, code, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text("\n".join([HEADER, f"{code};{phone(1)};;{soon()};;;"]) + "\n", encoding="utf-8")
    call_command("import_visits", str(good))
    assert Visit.objects.count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([HEADER, f"{code};{phone(2)};;{soon()};;;", "ZZZ-ZZZ;1;;x;;;"]) + "\n")
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_visits", str(bad))
    assert "line 3" in capsys.readouterr().err
    assert Visit.objects.count() == 1


def test_import_page_budget(client_as, page_queries):
    page_queries(client_as("moderator"), reverse("staff:visits_import"))
