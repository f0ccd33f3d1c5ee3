"""The import base (portal/imports.py) on its own: a small importer of projects (slug, name, average check)
read from .xlsx and .csv, every bad row reported with its line, all or nothing."""

import io
import zipfile

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from portal.imports import ImportColumn, Importer, ImportFileError, RowError, RowFailed, cell_text, csv_delimiter
from projects.models import Project

pytestmark = pytest.mark.django_db


class ProjectRowForm(forms.Form):
    slug = forms.SlugField(max_length=80)
    name = forms.CharField(max_length=200)
    check = forms.IntegerField(min_value=0, required=False)


class ProjectImporter(Importer):
    name = "projects"
    columns = (
        ImportColumn("slug", "Slug", aliases=("код",), example="alpha"),
        ImportColumn("name", "Name", aliases=("название",), example="Alpha Lounge"),
        ImportColumn("check", "Average check", aliases=("средний чек",), required=False, example=1500),
    )
    form_class = ProjectRowForm
    unique_together = (("slug",),)
    max_rows = 20
    max_bytes = 64 * 1024
    fail_on: str | None = None

    def check_rows(self, rows):
        taken = set(Project.objects.filter(slug__in=[r.data["slug"] for r in rows]).values_list("slug", flat=True))
        return [RowError(r.line, ("Slug: a project with this slug exists.",)) for r in rows if r.data["slug"] in taken]

    def create(self, rows):
        created = []
        for row in rows:
            if row.data["slug"] == self.fail_on:
                raise RowFailed(row.line, "refused while creating")
            created.append(Project.objects.create(slug=row.data["slug"], name=row.data["name"]))
        return created


def xlsx(rows, name="projects.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    target = io.BytesIO()
    workbook.save(target)
    return SimpleUploadedFile(name, target.getvalue())


def csv_file(text, *, encoding="utf-8", name="projects.csv"):
    return SimpleUploadedFile(name, text.encode(encoding))


def run(upload, **attrs):
    importer = ProjectImporter()
    for key, value in attrs.items():
        setattr(importer, key, value)
    with translation.override("en"):
        return importer.run(upload)


# --- good files ----------------------------------------------------------------------------------------------


def test_a_good_workbook_creates_every_row():
    result = run(xlsx([["Slug", "Name", "Average check"], ["alpha", "Alpha Lounge", 1500], ["beta", "Beta Bar", None]]))

    assert result.ok and result.rows == 2
    assert sorted(Project.objects.values_list("slug", flat=True)) == ["alpha", "beta"]
    assert [p.slug for p in result.created] == ["alpha", "beta"]


def test_headers_in_russian_any_case_spaces_and_order_and_optional_columns_left_out():
    result = run(xlsx([["  НАЗВАНИЕ ", "Код *"], ["Alpha Lounge", "alpha"]]))
    assert result.ok, result.errors
    assert Project.objects.get().name == "Alpha Lounge"


@pytest.mark.parametrize(
    "encoding,text",
    [
        ("utf-8-sig", "slug;name;average check\r\nalpha;Альфа Лаунж;1500\r\n"),
        ("utf-8", "slug,name\nalpha,Альфа Лаунж\n"),
        ("cp1251", "Код;Название\r\nalpha;Альфа Лаунж\r\n"),
    ],
    ids=["utf8-bom-semicolon", "utf8-comma", "cp1251"],
)
def test_csv_in_every_encoding_people_save(encoding, text):
    result = run(csv_file(text, encoding=encoding))
    assert result.ok, result.errors
    assert Project.objects.get().name == "Альфа Лаунж"


def test_empty_rows_are_skipped_and_lines_keep_the_spreadsheet_numbers():
    result = run(xlsx([[], ["slug", "name"], ["alpha", "Alpha"], [None, None], ["", "No slug"]]))
    assert [e.line for e in result.errors] == [5]
    assert result.rows == 2


def test_the_template_file_reimports_as_it_is():
    result = run(SimpleUploadedFile("template.xlsx", ProjectImporter().template_xlsx()))
    assert result.ok, result.errors
    assert Project.objects.get().slug == "alpha"


def test_cells_become_the_text_a_form_expects():
    assert cell_text(79001234567.0) == "79001234567"
    assert cell_text(" x ") == "x"
    assert cell_text("'=1+2") == "=1+2"  # the apostrophe an export adds before a formula
    assert cell_text("'quoted") == "'quoted"
    assert cell_text(None) == ""


def test_the_delimiter_is_the_one_the_header_uses():
    assert csv_delimiter("a;b;c\n1,5;2;3") == ";"
    assert csv_delimiter("a,b\n") == ","
    assert csv_delimiter("a\tb\n") == "\t"
    assert csv_delimiter("single\n") == ","


# --- bad rows: all reported, nothing created -----------------------------------------------------------------


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_created():
    Project.objects.create(slug="taken", name="Taken")
    result = run(
        xlsx(
            [
                ["slug", "name", "average check"],
                ["alpha", "Alpha", 100],  # 2: good
                ["bad slug!", "Bad", 100],  # 3: not a slug
                ["gamma", "", "lots"],  # 4: no name, not a number
                ["alpha", "Alpha again", 1],  # 5: repeats line 2
                ["taken", "Taken again", 1],  # 6: exists already (whole-file check)
                ["delta", "Delta", -5],  # 7: below the minimum
            ]
        )
    )

    assert not result.ok
    by_line = {e.line: e.message for e in result.errors}
    assert sorted(by_line) == [3, 4, 5, 6, 7]
    assert by_line[3].startswith("Slug:")
    assert "Name: This field is required." in by_line[4] and "Average check: Enter a whole number." in by_line[4]
    assert "Repeats line 2" in by_line[5]
    assert "exists" in by_line[6]
    assert by_line[7].startswith("Average check:")
    assert Project.objects.count() == 1  # only the one that was there


def test_duplicates_differ_only_in_case():
    result = run(csv_file("slug,name\nalpha,A\nALPHA,B\n"))
    assert [e.line for e in result.errors] == [3]


def test_a_row_refused_while_creating_rolls_everything_back():
    result = run(csv_file("slug,name\nalpha,A\nbeta,B\ngamma,C\n"), fail_on="gamma")
    assert [(e.line, e.message) for e in result.errors] == [(4, "refused while creating")]
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "header,problem",
    [
        (["slug", "name", "colour"], "Unknown column “colour”."),
        (["slug"], "The column “Name” is missing."),
        (["slug", "name", "Код"], "The column “Код” appears twice."),
    ],
)
def test_a_wrong_header_is_reported_on_line_1_and_nothing_else_is_read(header, problem):
    result = run(xlsx([header, ["alpha", "Alpha", "x"]]))
    assert [e.line for e in result.errors] == [1]
    assert problem in result.errors[0].reasons
    assert "Expected columns: Slug, Name, Average check." in result.errors[0].reasons
    assert not Project.objects.exists()


# --- whole files refused -------------------------------------------------------------------------------------


def refusal(upload, **attrs) -> str:
    with pytest.raises(ImportFileError) as caught:
        run(upload, **attrs)
    assert not Project.objects.exists()
    return caught.value.message


def test_an_empty_file_is_refused():
    assert refusal(SimpleUploadedFile("p.csv", b"")) == "The file is empty."
    assert refusal(csv_file("\n\n;;\n")) == "The file is empty."
    assert refusal(xlsx([])) == "The file is empty."


def test_a_header_without_rows_is_refused():
    assert "no rows" in refusal(csv_file("slug,name\n"))


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("p.txt", b"slug,name\n", "Upload an .xlsx or .csv file."),
        ("p.xlsx", b"slug,name\nalpha,A\n", "This file is not a real .xlsx workbook."),
        ("p.xlsx", b"PK\x03\x04 not really a zip", "This file is not a real .xlsx workbook."),
        ("p.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Upload an .xlsx or .csv file."),
        ("p.csv", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "This file is not a text CSV file"),
        ("p.csv", b"MZ\x90\x00\x03\x00\x00\x00", "This file is not a text CSV file"),
    ],
    ids=["txt", "csv-named-xlsx", "broken-zip", "old-xls", "png-named-csv", "exe-named-csv"],
)
def test_a_file_of_the_wrong_kind_is_refused_by_its_content(name, content, message):
    assert refusal(SimpleUploadedFile(name, content)).startswith(message)


def test_a_zip_that_is_not_a_workbook_is_refused():
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refusal(SimpleUploadedFile("p.xlsx", target.getvalue())) == "This file is not a real .xlsx workbook."


def test_a_workbook_that_unpacks_too_big_is_refused_before_it_is_read():
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (2 * 1024 * 1024))  # compresses to a few KB
    upload = SimpleUploadedFile("bomb.xlsx", target.getvalue())
    assert upload.size < 64 * 1024
    assert "unpacks to more than 1 MB" in refusal(upload, max_uncompressed_bytes=1024 * 1024)


def test_a_workbook_with_entries_outside_its_folder_is_refused():
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("../../evil.sh", "x")
    assert refusal(SimpleUploadedFile("p.xlsx", target.getvalue())) == "This file is not a real .xlsx workbook."


def test_a_file_over_the_size_limit_is_refused():
    assert refusal(csv_file("slug,name\n" + "alpha,A\n" * 10_000)).startswith("The file is larger than")


def test_a_file_over_the_row_limit_is_refused():
    rows = "".join(f"p{i},P{i}\n" for i in range(21))
    assert "more than 20 rows" in refusal(csv_file("slug,name\n" + rows))


def test_text_in_no_known_encoding_is_refused():
    # 0x98 is the one byte Windows-1251 does not define; the rest is not UTF-8 either.
    assert "UTF-8" in refusal(SimpleUploadedFile("p.csv", b"slug,name\nalpha,\xe0\x98\xff\n"))
