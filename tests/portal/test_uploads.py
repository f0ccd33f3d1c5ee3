"""The upload rules (portal/uploads.py): every kind accepted from a real minimal file, every attack refused with a
message naming the file and nothing stored, display names cleaned, stored names generated, downloads that are
never rendered."""

import io
import re
import zipfile
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import RequestFactory
from django.utils import translation
from openpyxl import Workbook
from PIL import Image

from portal import uploads
from portal.uploads import (
    ATTACHMENT_KINDS,
    DOCX_MAIN,
    PPTX_MAIN,
    StoredFileMissing,
    UploadPolicy,
    check_files,
    delete_after_commit,
    discard_on_failure,
    display_name,
    file_response,
    store_upload,
)

MB = 1024 * 1024
POLICY = UploadPolicy(kinds=ATTACHMENT_KINDS, max_bytes=5 * MB, max_files=3)


# --- real minimal files --------------------------------------------------------------------------------------


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def image(format_: str) -> bytes:
    target = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(target, format=format_)
    return target.getvalue()


def content_types(*overrides: tuple[str, str], extra: str = "") -> str:
    parts = "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{extra}{parts}</Types>'
    )


def office_zip(types: str | None, entries: dict[str, bytes | str]) -> bytes:
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if types is not None:
            archive.writestr("[Content_Types].xml", types)
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="PART" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>",
        )
        for name, content in entries.items():
            archive.writestr(name, content)
    return target.getvalue()


def docx(**extra_entries) -> bytes:
    return office_zip(
        content_types(("/word/document.xml", DOCX_MAIN)),
        {
            "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Привет</w:t></w:r></w:p></w:body></w:document>",
            **extra_entries,
        },
    )


def pptx() -> bytes:
    return office_zip(
        content_types(("/ppt/presentation.xml", PPTX_MAIN)),
        {
            "ppt/presentation.xml": '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'
        },
    )


def xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Клиент", 1500])
    target = io.BytesIO()
    workbook.save(target)
    return target.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def messages(files, policy=POLICY, **kwargs) -> list[str]:
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            check_files(files, policy, **kwargs)
        return [str(message) for message in refused.value.messages]  # lazy: rendered in English here


def codes(files, policy=POLICY, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        check_files(files, policy, **kwargs)
    return [error.code for error in refused.value.error_list]


class Unreadable:
    """An upload that may only be measured: reading it fails the test."""

    def __init__(self, name, size):
        self.name, self.size = name, size

    def read(self, *args):
        raise AssertionError("an oversized file was read")

    seek = tell = read


# --- accepted ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content,kind,content_type",
    [
        ("Договор.pdf", pdf(), "pdf", "application/pdf"),
        ("brief.docx", docx(), "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("deck.PPTX", pptx(), "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("budget.xlsx", xlsx(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("photo.jpg", image("JPEG"), "jpg", "image/jpeg"),
        ("photo.jpeg", image("JPEG"), "jpg", "image/jpeg"),
        ("banner.png", image("PNG"), "png", "image/png"),
        ("banner.webp", image("WEBP"), "webp", "image/webp"),
    ],
)
def test_every_attachment_kind_is_accepted_by_its_content(name, content, kind, content_type):
    (checked,) = check_files([upload(name, content)], POLICY)
    assert checked.kind.name == kind
    assert checked.content_type == content_type
    assert checked.display_name == name
    assert checked.size == len(content)


def test_the_report_kinds_are_told_apart_by_content():
    policy = UploadPolicy(kinds=(uploads.XML, uploads.HTML, uploads.XLS), max_bytes=MB, max_files=3)
    # The first 520 bytes of an Excel 97 workbook: the compound-file signature, and the BIFF8 BOF record that
    # opens the Workbook stream in the first sector.
    xls_head = uploads.OLE_SIGNATURE + b"\x00" * 504 + b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\x00" * 64
    checked = check_files(
        [
            upload("fiscal.xml", b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?><report/>'),
            upload("page.htm", b"<!DOCTYPE html><html><body>hi</body></html>"),
            upload("old.xls", xls_head),
        ],
        policy,
    )
    assert [c.kind.name for c in checked] == ["xml", "html", "xls"]
    assert codes([upload("fiscal.xml", pdf())], policy) == ["upload_not_allowed"]


def test_the_policy_describes_itself_for_the_form_in_the_readers_language():
    assert POLICY.accept == ".pdf,.docx,.pptx,.xlsx,.jpg,.jpeg,.png,.webp"
    help_text = POLICY.help_text  # built once, e.g. on a form class, and read in each request's language
    with translation.override("en"):
        assert str(help_text) == "PDF, DOCX, PPTX, XLSX, JPG, PNG, WEBP; up to 5.0\xa0MB each, at most 3 files."
    with translation.override("ru"):
        assert "5,0" in str(help_text)


def test_the_upload_rules_do_not_import_the_web():
    from django.conf import settings

    from tests.portal.test_import_direction import web_imports

    assert not web_imports((settings.BASE_DIR / "portal" / "uploads.py").read_text(encoding="utf-8"))


def test_the_count_includes_files_already_attached():
    assert len(check_files([upload("a.pdf", pdf())], POLICY, already=2)) == 1


# --- refused -------------------------------------------------------------------------------------------------


def test_an_html_page_named_pdf_is_not_an_allowed_type():
    page = upload("invoice.pdf", b"<html><script>alert(document.cookie)</script></html>")
    assert messages([page]) == [
        "“invoice.pdf” is not a file of an allowed type. Allowed: PDF, DOCX, PPTX, XLSX, JPG, PNG, WEBP."
    ]


def test_a_script_without_a_doctype_or_an_svg_is_not_allowed_either():
    assert codes([upload("x.pdf", b"  hello <script>alert(1)</script>")]) == ["upload_not_allowed"]
    assert codes([upload("x.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>')]) == ["upload_not_allowed"]


def test_an_executable_named_png_is_refused():
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50 + b"PE\x00\x00" + b"\x00" * 300
    assert codes([upload("cat.png", exe)]) == ["upload_not_allowed"]


def test_a_docx_named_xlsx_is_misnamed():
    assert messages([upload("table.xlsx", docx())]) == [
        "“table.xlsx” is a DOCX file, but its name does not end in .docx: rename it and upload it again."
    ]


def test_a_png_named_jpg_or_without_an_extension_is_misnamed():
    assert codes([upload("photo.jpg", image("PNG")), upload("photo", image("PNG"))]) == [
        "upload_misnamed",
        "upload_misnamed",
    ]


def test_an_oversized_file_is_refused_without_being_read():
    assert messages([Unreadable("huge.pdf", 40 * MB)]) == ["“huge.pdf” is larger than 5.0\xa0MB."]


def test_an_empty_file_is_refused():
    assert messages([upload("empty.pdf", b"")]) == ["“empty.pdf” is empty."]


def test_too_many_files_are_refused_counting_those_attached():
    four = [upload(f"{n}.pdf", pdf()) for n in range(4)]
    assert messages(four) == ["Upload at most 3 files."]
    assert messages(four[:2], already=2) == ["At most 3 files may be attached, and 2 are attached already."]
    assert codes(four[:1], already=3) == ["upload_too_many"]


def test_every_bad_file_is_reported_and_nothing_is_returned():
    files = [upload("good.pdf", pdf()), upload("empty.png", b""), upload("evil.pdf", b"<html></html>")]
    assert codes(files) == ["upload_empty", "upload_not_allowed"]


def test_a_zip_bomb_docx_is_refused_without_inflating_it(monkeypatch):
    bomb = docx(**{"word/media/image1.bin": b"\0" * (3 * MB)})
    assert len(bomb) < 20 * 1024  # a few KB on the wire
    policy = UploadPolicy(kinds=ATTACHMENT_KINDS, max_bytes=MB, max_files=3, max_unpacked_bytes=2 * MB)
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("an entry was inflated"))
    assert messages([upload("bomb.docx", bomb)], policy) == [
        "“bomb.docx” unpacks to more than 2.0\xa0MB (or too many parts): it cannot be accepted."
    ]


def test_a_docx_of_too_many_entries_is_refused():
    many = docx(**{f"word/part{n}.xml": "<x/>" for n in range(30)})
    policy = UploadPolicy(kinds=ATTACHMENT_KINDS, max_bytes=MB, max_files=3, max_entries=20)
    assert codes([upload("many.docx", many)], policy) == ["upload_zip_bomb"]


@pytest.mark.parametrize("entry", ["../../evil.sh", "word/../../evil.sh", "/etc/cron.d/evil", "C:/evil.bat"])
def test_a_zip_with_entries_outside_its_folder_is_refused(entry):
    assert codes([upload("brief.docx", docx(**{entry: "x"}))]) == ["upload_unsafe_archive"]


@pytest.mark.parametrize(
    "content",
    [
        office_zip(None, {"word/document.xml": "<w/>"}),  # no [Content_Types].xml: a plain zip
        office_zip(content_types(("/word/document.xml", DOCX_MAIN)), {}),  # the main part is declared, not there
        office_zip(  # a document and a presentation at once
            content_types(("/word/document.xml", DOCX_MAIN), ("/ppt/presentation.xml", PPTX_MAIN)),
            {"word/document.xml": "<w/>", "ppt/presentation.xml": "<p/>"},
        ),
        office_zip(  # macros (a .docm named .docx)
            content_types(
                ("/word/document.xml", DOCX_MAIN), ("/word/vbaProject.bin", "application/vnd.ms-office.vbaProject")
            ),
            {"word/document.xml": "<w/>", "word/vbaProject.bin": b"\0"},
        ),
        office_zip(  # entities in the content types: defusedxml refuses them
            '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            f'<Types><Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}" x="&b;"/></Types>',
            {"word/document.xml": "<w/>"},
        ),
        b"PK\x03\x04 a broken zip",
    ],
    ids=["plain-zip", "main-part-missing", "two-mains", "macros", "xml-entities", "broken"],
)
def test_a_zip_that_is_no_office_file_we_accept_is_refused(content):
    assert codes([upload("brief.docx", content)]) == ["upload_not_allowed"]


def test_a_name_with_folders_or_control_characters_is_refused_naming_the_cleaned_one():
    """Django's multipart parser already drops folders and non-printable characters from a browser's upload;
    anything else that hands a file over (an import, the API) gets this refusal."""
    refused = "a file name may not contain folders or control characters"
    for name in ("../../etc/\u202egpj.exe", "a\\b.pdf", "bell\x07.pdf", "line\n.pdf"):
        (message,) = messages([upload(name, b"%PDF-1.4")])
        assert refused in message and "/" not in message and "\u202e" not in message


# --- display names -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,shown",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\Отчёт.pdf", "Отчёт.pdf"),
        ("reports/2024/q1.xlsx", "q1.xlsx"),
        ("evil\u202egpj.exe", "evilgpj.exe"),  # the RTL override that shows "evilexe.jpg"
        ("a\u200bb\u2066c\u2069\ufeff.pdf", "abc.pdf"),  # zero-width and isolates
        ("bad\x00name\x1b[31m\x7f.pdf", "badname[31m.pdf"),
        ("line\nbreak\ttab.pdf", "line break tab.pdf"),
        ("  Договор №5 от 01.02.pdf  ", "Договор №5 от 01.02.pdf"),
        ("Щука и Ёж.docx", "Щука и Ёж.docx"),
        ("", "file"),
        ("..", "file"),
        ("folder/", "file"),
        (".pdf", "file.pdf"),
        ("report.pdf...", "report.pdf"),
        ("\u202e\u200b", "file"),
    ],
)
def test_display_names_are_cleaned(name, shown):
    assert display_name(name) == shown


def test_a_long_name_is_bounded_keeping_its_extension():
    shown = display_name("я" * 300 + ".docx")
    assert len(shown) == uploads.DISPLAY_NAME_MAX_LENGTH
    assert shown == "я" * (uploads.DISPLAY_NAME_MAX_LENGTH - 5) + ".docx"
    assert len(display_name("x" * 300)) == uploads.DISPLAY_NAME_MAX_LENGTH


# --- storing -------------------------------------------------------------------------------------------------


def test_a_checked_file_is_stored_under_a_generated_name():
    (checked,) = check_files([upload("../../Фото клиента.jpeg", image("JPEG"))], POLICY)
    name = store_upload(checked, prefix="offers/lots")
    assert re.fullmatch(r"offers/lots/[0-9a-f]{32}\.jpg", name)
    with default_storage.open(name, "rb") as stored:
        assert stored.read() == image("JPEG")
    assert checked.display_name == "Фото клиента.jpeg"
    assert store_upload(checked, prefix="offers/lots") != name


@pytest.mark.parametrize("prefix", ["", "/", "../x", "a/../../b", "a\\b"])
def test_an_unsafe_prefix_is_a_programming_error(prefix):
    (checked,) = check_files([upload("a.pdf", pdf())], POLICY)
    with pytest.raises(ValueError):
        store_upload(checked, prefix=prefix)


@pytest.mark.django_db
def test_files_are_deleted_only_once_the_transaction_commits(django_capture_on_commit_callbacks):
    (checked,) = check_files([upload("a.pdf", pdf())], POLICY)
    name = store_upload(checked, prefix="tests")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delete_after_commit([name, ""])
        assert default_storage.exists(name)
    assert not default_storage.exists(name)


@pytest.mark.django_db
def test_files_are_kept_when_the_deleting_transaction_rolls_back():
    (checked,) = check_files([upload("a.pdf", pdf())], POLICY)
    name = store_upload(checked, prefix="tests")
    with pytest.raises(RuntimeError), transaction.atomic():
        delete_after_commit([name])
        raise RuntimeError
    assert default_storage.exists(name)


@pytest.mark.django_db
def test_files_stored_by_a_failing_service_are_discarded():
    checked = check_files([upload("a.pdf", pdf()), upload("b.png", image("PNG"))], POLICY)
    stored = []
    with pytest.raises(RuntimeError), discard_on_failure() as names, transaction.atomic():
        for file in checked:
            names.append(store_upload(file, prefix="tests"))
        stored = list(names)
        raise RuntimeError("the row could not be written")
    assert len(stored) == 2
    assert not any(default_storage.exists(name) for name in stored)


# --- serving -------------------------------------------------------------------------------------------------


def stored_pdf() -> str:
    (checked,) = check_files([upload("a.pdf", pdf())], POLICY)
    return store_upload(checked, prefix="tests")


def test_a_file_is_served_as_a_download_that_is_never_rendered():
    response = file_response(name=stored_pdf(), display_name="Smeta 2024.pdf", content_type="application/pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Smeta 2024.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"


def test_a_cyrillic_name_has_an_ascii_fallback_and_the_exact_utf8_name():
    response = file_response(name=stored_pdf(), display_name="Смета «Альфа».pdf", content_type="application/pdf")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"Smeta _Alfa_.pdf\"; filename*=UTF-8''")
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9%._~-]+", encoded)
    assert unquote(encoded) == "Смета «Альфа».pdf"


def test_a_quote_or_header_injection_in_the_name_cannot_break_the_header():
    response = file_response(
        name=stored_pdf(), display_name='a";\r\nSet-Cookie: x=1.pdf', content_type="application/pdf"
    )
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith('attachment; filename="a_; Set-Cookie: x=1.pdf"; filename*=')


def test_the_site_wide_csp_does_not_replace_the_sandbox():
    from csp.middleware import CSPMiddleware

    name = stored_pdf()
    middleware = CSPMiddleware(lambda request: file_response(name=name, display_name="a.pdf", content_type="x/y"))
    response = middleware(RequestFactory().get("/files/1/"))
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_a_missing_file_raises_for_the_views_404():
    with pytest.raises(StoredFileMissing):
        file_response(name="tests/0123456789abcdef0123456789abcdef.pdf", display_name="a.pdf", content_type="x/y")
