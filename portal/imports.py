"""The one base for every import (beside portal/exports.py): read a table from an .xlsx or .csv upload,
validate each row with a Django form, and create everything — or nothing.

    class VisitImporter(Importer):
        name = "visits"
        columns = (
            ImportColumn("card", _("Card"), aliases=("карта", "card number")),
            ImportColumn("amount", _("Amount"), aliases=("сумма",)),
            ImportColumn("comment", _("Comment"), required=False),
        )
        form_class = VisitRowForm           # a plain Django form whose fields are the columns' names
        unique_together = (("card", "visited_at"),)   # the same row twice in the file is an error

        def create(self, rows):             # inside one transaction, only when no row failed
            Visit.objects.bulk_create((Visit(**row.data) for row in rows), batch_size=2000)

    result = VisitImporter().run(uploaded_file)
    result.ok, result.errors (every bad row: its line and the reasons, translated), result.created

The rules:
* **The file is checked by content, not by name.** An .xlsx must be a zip holding a workbook, with a
  bounded number of entries, a bounded uncompressed size and no entry outside its folder
  (`portal.uploads.bounded_zip`, the zip rules every upload shares); a .csv must be text (no NUL byte, no
  known binary signature). Either is at most `max_bytes`, and has at most `max_rows` data rows.
* **CSV as people save it**: UTF-8 with or without a BOM, else Windows-1251 (Excel's "CSV" on a Russian
  Windows); the delimiter (`;`, `,` or tab) is the one the header line uses most.
* **The header row names the columns**, in any order, in any case, with extra spaces, in Russian or in
  English (each column's label in every language of the portal, its name and its aliases); an unknown,
  missing or repeated column is reported and nothing else is read.
* **Every bad row is reported**, not the first: its line as the spreadsheet numbers it (the header is
  line 1 when it is the first row) and every reason, each naming its column. Empty rows are skipped.
  Rows repeated inside the file (`unique_together`) and whole-file checks (`check_rows`, e.g. "this email
  already has an account", one query for all rows) are reported the same way.
* **All or nothing**: `create` runs inside one transaction and only when no row failed; it may still
  refuse a row (`RowFailed`), which rolls everything back and is reported like any other bad row.
* **Memory**: rows are read one at a time (openpyxl read-only, values only; csv.reader over the text);
  one form exists at a time, and only each valid row's cleaned values are kept until `create`.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exports import FORMULA_TRIGGERS, Column, ListExporter
from portal.uploads import ZIP_SIGNATURE, ZipRefused, ZipTooLarge, bounded_zip

XLSX_SIGNATURE = ZIP_SIGNATURE
CSV_DELIMITERS = (";", ",", "\t")
SNIFF_BYTES = 8192
MB = 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be imported (wrong kind, too big, empty, unreadable): a translated message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RowFailed(Exception):
    """Raised by `Importer.create` for a row that cannot be created: everything is rolled back."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class RowsFailed(Exception):
    """Raised by `Importer.create` for several rows at once (checks that only hold under a lock, e.g. a
    quota): everything is rolled back and every row is reported."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} rows failed")
        self.errors = errors


@dataclass(frozen=True)
class ImportColumn:
    name: str  # the row form's field
    label: Any  # the header the template file carries (translated)
    aliases: tuple[str, ...] = ()  # other headers accepted, e.g. the Russian and English words
    required: bool = True  # the header must be in the file (the form decides whether a cell may be empty)
    example: Any = ""  # the value in the template file's example row
    width: int | None = None


@dataclass(frozen=True)
class RowError:
    line: int
    reasons: tuple[str, ...]

    @property
    def message(self) -> str:
        return "; ".join(self.reasons)


class ValidRow(NamedTuple):
    line: int
    data: dict


@dataclass
class ImportResult:
    rows: int = 0  # data rows read (empty rows not counted)
    errors: list[RowError] = field(default_factory=list)
    created: Any = None  # what `create` returned

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise_header(text: str) -> str:
    """ "  E-mail * " → "e-mail": case, spaces, a required-field star or a colon do not matter; ё is е."""
    return " ".join(str(text).casefold().replace("ё", "е").split()).rstrip("*: ").strip()


def cell_text(value) -> str:
    """A cell as the text a form expects: 79001234567.0 → "79001234567", dates as ISO, a leading apostrophe
    that an export added to neutralise a formula (portal.exports.neutralise) removed again."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, decimal.Decimal) and value == value.to_integral_value():
        return str(value.quantize(decimal.Decimal(1)))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ") if value.time() != datetime.time() else value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        text = text[1:]
    return text


# --- reading a file ------------------------------------------------------------------------------------------


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _looks_binary(head: bytes) -> bool:
    import filetype

    return b"\x00" in head or filetype.guess(head) is not None


def _read_xlsx(fileobj, *, max_uncompressed_bytes: int, max_entries: int) -> Iterator[tuple[int, list]]:
    try:
        with bounded_zip(fileobj, max_unpacked_bytes=max_uncompressed_bytes, max_entries=max_entries) as archive:
            names = set(archive.namelist())
    except ZipTooLarge:
        raise ImportFileError(
            _("The workbook unpacks to more than %(size)d MB: save only the table in a new file.")
            % {"size": max_uncompressed_bytes // MB}
        ) from None
    except ZipRefused:  # damaged, or entries outside their folder
        raise ImportFileError(_("This file is not a real .xlsx workbook.")) from None
    if "xl/workbook.xml" not in names:
        raise ImportFileError(_("This file is not a real .xlsx workbook."))
    from openpyxl import load_workbook

    fileobj.seek(0)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise ImportFileError(_("The workbook could not be read: open it in Excel and save it again.")) from None
    try:
        sheet = workbook.worksheets[0]
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, list(values)
    except Exception:
        raise ImportFileError(_("The workbook could not be read: open it in Excel and save it again.")) from None
    finally:
        workbook.close()


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else Windows-1251."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError:
        raise ImportFileError(_("The file's text could not be read: save it as CSV in UTF-8.")) from None


def csv_delimiter(text: str) -> str:
    """The delimiter the first non-empty line uses most (a one-column file: a comma)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(fileobj) -> Iterator[tuple[int, list]]:
    text = decode_csv(fileobj.read())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error:
        raise ImportFileError(_("The CSV file is damaged (a quote is not closed?).")) from None


def read_table(
    uploaded, *, max_bytes: int, max_uncompressed_bytes: int, max_entries: int = 200
) -> Iterator[tuple[int, list[str]]]:
    """(line, cells as text) of every non-empty row of an uploaded .xlsx (its first sheet) or .csv file."""
    name = getattr(uploaded, "name", "") or ""
    size = getattr(uploaded, "size", None)
    kind = _extension(name)
    if kind not in ("xlsx", "csv"):
        raise ImportFileError(_("Upload an .xlsx or .csv file."))
    if size is not None and size > max_bytes:
        raise ImportFileError(_("The file is larger than %(size)d MB.") % {"size": max(1, max_bytes // MB)})
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    if not head:
        raise ImportFileError(_("The file is empty."))
    if kind == "xlsx":
        if not head.startswith(XLSX_SIGNATURE):
            raise ImportFileError(_("This file is not a real .xlsx workbook."))
        rows = _read_xlsx(uploaded, max_uncompressed_bytes=max_uncompressed_bytes, max_entries=max_entries)
    else:
        if _looks_binary(head):
            raise ImportFileError(_("This file is not a text CSV file: save the table as CSV or upload the .xlsx."))
        if size is None and len(uploaded.read(max_bytes + 1)) > max_bytes:
            raise ImportFileError(_("The file is larger than %(size)d MB.") % {"size": max(1, max_bytes // MB)})
        uploaded.seek(0)
        rows = _read_csv(uploaded)
    for line, values in rows:
        cells = [cell_text(value) for value in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            yield line, cells


# --- the importer --------------------------------------------------------------------------------------------


class Importer:
    name: str = "import"
    verbose_name = gettext_lazy("Import")
    columns: Sequence[ImportColumn] = ()
    form_class: type[forms.Form] = forms.Form
    # Column names whose values together may appear on one row of the file only.
    unique_together: Sequence[tuple[str, ...]] = ()
    max_bytes = 5 * MB
    max_uncompressed_bytes = 50 * MB
    max_rows = 1000

    # --- hooks ---

    def form_kwargs(self) -> dict:
        """Extra keyword arguments of every row form (e.g. lookups loaded once for the whole file)."""
        return {}

    def check_rows(self, rows: list[ValidRow]) -> Iterable[RowError]:
        """Checks of the valid rows as a whole, after each was validated (one query for all rows)."""
        return ()

    def create(self, rows: list[ValidRow]) -> Any:
        """Create everything, inside the import's transaction; raise `RowFailed` to refuse a row."""
        raise NotImplementedError

    def example_rows(self) -> Iterable[Sequence]:
        yield [column.example for column in self.columns]

    # --- the work ---

    def run(self, uploaded) -> ImportResult:
        """Read, validate every row, and create all rows in one transaction if none failed.

        Raises ImportFileError when the file as a whole cannot be read."""
        result = ImportResult()
        rows = read_table(uploaded, max_bytes=self.max_bytes, max_uncompressed_bytes=self.max_uncompressed_bytes)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
        positions, problems = self.map_header(header[1])
        if problems:
            result.errors.append(RowError(header[0], tuple(problems)))
            return result
        valid: list[ValidRow] = []
        errors: dict[int, list[str]] = {}
        seen: list[dict[tuple, int]] = [{} for _key in self.unique_together]
        kwargs = self.form_kwargs()
        for line, cells in rows:
            result.rows += 1
            if result.rows > self.max_rows:
                raise ImportFileError(
                    _("The file has more than %(rows)d rows: split it into several files.") % {"rows": self.max_rows}
                )
            data = {name: (cells[index] if index < len(cells) else "") for name, index in positions.items()}
            data.update({column.name: "" for column in self.columns if column.name not in positions})
            form = self.form_class(data=data, **kwargs)
            if not form.is_valid():
                errors[line] = self.form_reasons(form)
                continue
            duplicate = self._duplicate(form.cleaned_data, line, seen)
            if duplicate:
                errors[line] = [duplicate]
                continue
            valid.append(ValidRow(line, form.cleaned_data))
        if result.rows == 0:
            raise ImportFileError(_("The file has a header but no rows below it."))
        for error in self.check_rows(valid):
            errors.setdefault(error.line, []).extend(error.reasons)
        if errors:
            result.errors = [RowError(line, tuple(reasons)) for line, reasons in sorted(errors.items())]
            return result
        try:
            with transaction.atomic():
                result.created = self.create(valid)
        except RowFailed as failed:
            result.errors = [RowError(failed.line, (failed.message,))]
        except RowsFailed as failed:
            result.errors = sorted(failed.errors, key=lambda error: error.line)
        return result

    def map_header(self, cells: list[str]) -> tuple[dict[str, int], list[str]]:
        """{column name: index in the row}, and what is wrong with the header (translated)."""
        accepted = {}
        for column in self.columns:
            for text in self._header_names(column):
                accepted.setdefault(normalise_header(text), column)
        positions: dict[str, int] = {}
        problems = []
        for index, cell in enumerate(cells):
            if not cell:
                continue
            column = accepted.get(normalise_header(cell))
            if column is None:
                problems.append(_("Unknown column “%(name)s”.") % {"name": cell})
            elif column.name in positions:
                problems.append(_("The column “%(name)s” appears twice.") % {"name": cell})
            else:
                positions[column.name] = index
        for column in self.columns:
            if column.required and column.name not in positions:
                problems.append(_("The column “%(name)s” is missing.") % {"name": column.label})
        if problems:
            expected = ", ".join(str(column.label) for column in self.columns)
            problems.append(_("Expected columns: %(columns)s.") % {"columns": expected})
        return positions, problems

    @staticmethod
    def _header_names(column: ImportColumn) -> list[str]:
        names = [column.name, *column.aliases]
        for code, _language in settings.LANGUAGES:
            with translation.override(code):
                names.append(str(column.label))
        return names

    def form_reasons(self, form: forms.Form) -> list[str]:
        labels = {column.name: str(column.label) for column in self.columns}
        reasons = []
        for name, messages in form.errors.items():
            label = labels.get(name) or (str(form.fields[name].label) if name in form.fields else "")
            reasons += [f"{label}: {message}" if label else str(message) for message in messages]
        return reasons

    def _duplicate(self, data: dict, line: int, seen: list[dict[tuple, int]]) -> str | None:
        for columns, lines in zip(self.unique_together, seen, strict=True):
            key = tuple(_comparable(data.get(name)) for name in columns)
            first = lines.setdefault(key, line)
            if first != line:
                labels = ", ".join(str(c.label) for c in self.columns if c.name in columns)
                return _("Repeats line %(line)d (%(columns)s).") % {"line": first, "columns": labels}
        return None

    # --- the template file ---

    def template_xlsx(self) -> bytes:
        """An .xlsx with the header (in the reader's language) and the example rows: what to fill in."""
        importer = self

        class Template(ListExporter):
            name = importer.name
            verbose_name = importer.verbose_name
            columns = tuple(Column(column.label, width=column.width) for column in importer.columns)

            def rows(self):
                yield from importer.example_rows()

        target = io.BytesIO()
        Template().write_xlsx(target)
        return target.getvalue()


def _comparable(value):
    if isinstance(value, str):
        return value.casefold()
    return getattr(value, "pk", value)
