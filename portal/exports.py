"""The one base for every export (STYLE.md rule 8): an exporter declares a name, headers and a row generator;
this module renders it as XLSX (openpyxl write-only) or CSV and streams the file.

    class DealExporter(ListExporter):
        name = "deals"
        verbose_name = _("Deals")
        headers = (_("Code"), _("Partner"), ...)
        def rows(self):
            for deal in self.queryset.iterator(chunk_size=2000):
                yield (deal.code, deal.partner.name, ...)

    # in a view (cabinets/exports.py journals the export and streams the file):
    return export_response(DealExporter(queryset=...), fmt="xlsx", request=request)

Memory stays flat: write-only worksheets spool rows to a temporary file, and the finished workbook is a
temporary file streamed back in chunks. Time grows with the rows (~10k rows/s), so large exports belong
in a Celery task that stores the file and notifies the user (a later issue).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
from collections.abc import Iterable, Iterator, Sequence

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
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
    return neutralise(str(value))


class ListExporter:
    name: str = "export"          # machine name, also the file name stem
    verbose_name = _("Export")    # human name (sheet title)
    headers: Sequence = ()
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

    def write_xlsx(self, target) -> int:
        """Write the workbook to a path or binary file; returns the number of data rows."""
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=str(self.verbose_name)[:31] or "Sheet")
        sheet.append([cell_value(str(h)) for h in self.headers])
        for row in self._counted_rows():
            sheet.append([cell_value(v) for v in row])
        workbook.save(target)
        return self.row_count

    def write_csv(self, target) -> int:
        """Write UTF-8 CSV (with a BOM, so Excel reads Cyrillic) to a binary file; returns the data rows."""
        text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow([cell_value(str(h)) for h in self.headers])
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
