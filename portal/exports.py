"""The one base for every export (STYLE.md rule 8): an exporter declares a name, its columns and a row
generator; this module renders it as XLSX (openpyxl write-only) or CSV.

    class DealExporter(ListExporter):
        name = "deals"
        verbose_name = _("Deals")
        columns = (Column(_("Created"), moment=True), Column(_("Code"), width=12), Column(_("Partner"), width=30))
        def rows(self):
            for deal in self.queryset.iterator(chunk_size=2000):
                yield (deal.created_at, deal.code, deal.partner.name)

    # in a view (cabinets/lists.py checks the filters, cabinets/exports.py journals and streams the file):
    return export_list(request, filterset, DealExporter(queryset=filterset.qs), list_url=...)

A spreadsheet people can use at once: columns as wide as declared, the header row frozen with an
autofilter, moments in the reader's time zone with the zone named in the column's header, text as text —
formulas neutralised, characters XLSX cannot hold removed. Memory stays flat: write-only worksheets spool
rows to a temporary file. Time grows with the rows (~10k rows/s), so very large exports belong in a
Celery task (STACK.md).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# C0 control characters other than tab, line feed and carriage return: XLSX cannot hold them (openpyxl
# refuses the cell), and no spreadsheet reader wants them in CSV either.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DEFAULT_WIDTH, MAX_WIDTH, MOMENT_WIDTH = 14, 60, 18
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def neutralise(value):
    """A spreadsheet must not run what a user typed: text starting with = + - @ tab or CR becomes plain text
    (OWASP "CSV injection"). Numbers are left alone, so -5 stays a number."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def cell_value(value):
    """What a cell can hold: local naive datetimes (Excel has no time zones), plain numbers, neutral text."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, (bool, int, float, decimal.Decimal, datetime.date)):
        return value
    return neutralise(CONTROL_CHARACTERS.sub("", str(value)))


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, its width in characters (XLSX), and whether it holds moments
    (then its header names the time zone the values are shown in)."""

    label: object
    width: int | None = None
    moment: bool = False

    def header(self) -> str:
        text = str(self.label)
        if self.moment:
            text = f"{text} ({timezone.get_current_timezone_name()})"
        return text

    def xlsx_width(self) -> int:
        if self.width:
            return self.width
        return MOMENT_WIDTH if self.moment else min(max(DEFAULT_WIDTH, len(str(self.label)) + 4), MAX_WIDTH)


class ListExporter:
    name: str = "export"  # machine name, also the file name stem
    verbose_name = _("Export")  # human name (sheet title)
    columns: Sequence[Column] = ()
    audit_event = "exports.exported"

    def __init__(self, **options):
        self.options = options
        self.row_count = 0

    def rows(self) -> Iterator[Sequence]:
        raise NotImplementedError

    def audit_details(self) -> dict:
        """What the journal keeps about this export besides its format and size (e.g. the filters)."""
        return {}

    def filename(self, fmt: str) -> str:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return f"{slugify(self.name) or 'export'}-{stamp}.{fmt}"

    def _counted_rows(self) -> Iterable[Sequence]:
        self.row_count = 0
        for row in self.rows():
            self.row_count += 1
            yield row

    def headers(self) -> list[str]:
        return [cell_value(column.header()) for column in self.columns]

    def write_xlsx(self, target) -> int:
        """Write the workbook to a path or binary file; returns the number of data rows."""
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=CONTROL_CHARACTERS.sub("", str(self.verbose_name))[:31] or "Sheet")
        # Write-only sheets take their layout before the first row.
        for index, column in enumerate(self.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.xlsx_width()
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for text in self.headers():
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in self._counted_rows():
            sheet.append([cell_value(v) for v in row])
        if self.columns:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(self.columns))}{self.row_count + 1}"
        workbook.save(target)
        return self.row_count

    def write_csv(self, target) -> int:
        """Write UTF-8 CSV (with a BOM, so Excel reads Cyrillic) to a binary file; returns the data rows."""
        text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow(self.headers())
        for row in self._counted_rows():
            writer.writerow(["" if v is None else cell_value(v) for v in row])
        text.flush()
        text.detach()
        return self.row_count

    def write(self, target, fmt: str) -> int:
        if fmt == "xlsx":
            return self.write_xlsx(target)
        if fmt == "csv":
            return self.write_csv(target)
        raise ValueError(f"unknown export format {fmt!r}")


class FilteredListExporter(ListExporter):
    """An export of a list page's rows: the filterset's queryset, and the filters the journal keeps with it.

    `DealExporter(queryset=filterset.qs, filters=filterset.form.cleaned_data)`; `rows()` iterates
    `self.queryset`."""

    def __init__(self, *, queryset, filters: dict | None = None, **options):
        super().__init__(**options)
        self.queryset = queryset
        self.filters = {k: v for k, v in (filters or {}).items() if v not in (None, "", [])}

    def audit_details(self) -> dict:
        return {"filters": {k: str(v) for k, v in self.filters.items()}}
