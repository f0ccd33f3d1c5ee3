"""The exporter base (portal/exports.py): spreadsheets people can use at once, formulas neutralised,
control characters removed, flat memory."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from portal.exports import Column, ListExporter, cell_value, neutralise

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize(
    "value,expected",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+7 900 123", "'+7 900 123"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("plain = text", "plain = text"),
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_cell_values_are_local_naive_times(settings):

    with timezone.override(MOSCOW):
        moment = datetime.datetime(2026, 3, 1, 20, 30, 15, 123, tzinfo=datetime.UTC)
        assert cell_value(moment) == datetime.datetime(2026, 3, 1, 23, 30, 15)


def test_memory_stays_flat_however_many_rows():
    """Write-only mode spools rows to disk: 20,000 rows peak well under what a normal workbook needs (~25 MB)."""
    import tempfile
    import tracemalloc

    class Many(ListExporter):
        columns = (Column("n"), Column("text"), Column("amount"), Column("formula"))

        def __init__(self, count):
            super().__init__()
            self.count = count

        def rows(self):
            for i in range(self.count):
                yield (i, f"text {i}", i * 1.5, "=1+1")

    with tempfile.TemporaryFile() as warm_up:
        Many(10).write(warm_up, "xlsx")  # imports and caches are not the export's memory
    tracemalloc.start()
    try:
        with tempfile.TemporaryFile() as target:
            assert Many(20_000).write(target, "xlsx") == 20_000
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000, f"peak {peak / 1e6:.1f} MB"


def test_list_exporter_base_is_small_to_subclass(tmp_path):
    class Numbers(ListExporter):
        name = "numbers"
        verbose_name = "Numbers"
        columns = (Column("n"), Column("text"))

        def rows(self):
            yield from ((i, f"={i}") for i in range(3))

    path = tmp_path / "n.xlsx"
    assert Numbers().write(str(path), "xlsx") == 3
    rows = [list(r) for r in load_workbook(path).active.iter_rows(values_only=True)]
    assert rows == [["n", "text"], [0, "'=0"], [1, "'=1"], [2, "'=2"]]


class People(ListExporter):
    name = "people"
    verbose_name = "People"
    columns = (Column("Joined", moment=True), Column("Name", width=30), Column("Note"))

    def __init__(self, rows):
        super().__init__()
        self._rows = rows

    def rows(self):
        yield from self._rows


def test_the_workbook_is_ready_to_use_widths_frozen_header_autofilter_and_the_time_zone(tmp_path):
    path = tmp_path / "people.xlsx"
    moment = datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC)
    with timezone.override(MOSCOW):
        People([(moment, "Ольга", "x"), (moment, "Иван", "y")]).write(str(path), "xlsx")
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == ["Joined (Europe/Moscow)", "Name", "Note"]
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    assert sheet.column_dimensions["A"].width >= 16 and sheet.column_dimensions["B"].width == 30
    assert sheet["A2"].value == datetime.datetime(2026, 3, 1, 23, 30)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_c0_control_character_exports(tmp_path, fmt):
    hostile = "A" + "".join(chr(c) for c in range(32)) + "\x7fZ"
    path = tmp_path / f"x.{fmt}"
    with path.open("wb") as target:
        assert People([(None, hostile, "ok")]).write(target, fmt) == 1
    if fmt == "xlsx":
        value = load_workbook(path).active["B2"].value
    else:
        import csv

        value = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(keepends=True)))[1][1]
    assert value.startswith("A") and value.endswith("Z")
    assert not any(chr(c) in value for c in (*range(0, 9), 11, 12, *range(14, 32), 127))
