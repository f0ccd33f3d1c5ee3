"""The one set of upload rules (docs/RECIPES.md, "Add an upload"): lot attachments, deal messages and reports
check, store and serve the files people upload through this module. A logo that is shown on pages is another
matter — it is opened with Pillow and re-encoded (`projects/logos.py`).

    POLICY = UploadPolicy(kinds=ATTACHMENT_KINDS, max_bytes=10 * MB, max_files=10)

    checked = check_files(form.cleaned_data["files"], POLICY, already=lot.attachments.count())
    # → a list of CheckedUpload, or ValidationError with one translated message per bad file; nothing stored
    for upload in checked:                          # in the service, inside its transaction
        name = store_upload(upload, prefix="offers/lots")
        Attachment.objects.create(file=name, display_name=upload.display_name,
                                  content_type=upload.content_type, size=upload.size)
    delete_after_commit([attachment.file.name])     # when a row is deleted

    return file_response(name=..., display_name=..., content_type=...)   # in the view, after the policy

The rules:
* **The type is read from the content, never from the name**: magic bytes (`filetype`) for PDF and images,
  and an Office file is a zip whose `[Content_Types].xml` names the main part of exactly one of a document,
  a presentation or a workbook (a zip that is none of them, or holds macros, is refused). The extension of
  the name must then be one of the detected kind's: an HTML page named `.pdf` is an HTML page, a `.docx`
  named `.xlsx` is refused as misnamed.
* **A zip is judged by its directory, never extracted**: at most `max_entries` entries, at most
  `max_unpacked_bytes` once unpacked (the declared sizes; zipfile never inflates an entry past its declared
  size), no absolute or `..` paths. Only `[Content_Types].xml` is read, and it is bounded too.
* **Sizes come before reading**: `.size` is checked before a byte is read (Django keeps a large upload in a
  temporary file, not in memory); empty files are refused; the count includes the files already attached.
* **Every bad file is reported**, each message naming it; when any file fails nothing is returned, so the
  caller stores nothing.
* **The user's name is for display only**: a name with folders, control or bidi characters is refused
  (`unsafe_name`: no browser sends one for a picked file); the rest is cleaned by `display_name` (spaces,
  unassigned characters, bounded length keeping the extension, never empty). What is stored is
  `<prefix>/<uuid4 hex>.<the detected kind's extension>` through `default_storage`.
* **Served as a download, never rendered**: `file_response` answers with `Content-Disposition: attachment`
  (an ASCII name plus the RFC 8187 UTF-8 one), `nosniff`, a sandboxing Content-Security-Policy and no caching;
  a missing file raises `StoredFileMissing`, which the view turns into its 404.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import filetype
from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

MB = 1024 * 1024
SNIFF_BYTES = 8192  # what the content checks look at: filetype needs 262 bytes, the text kinds a little more
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97–2003 (and anything else in a compound file)
CONTENT_TYPES_PART = "[Content_Types].xml"
CONTENT_TYPES_MAX_BYTES = 1 * MB
DISPLAY_NAME_MAX_LENGTH = 150
DISPLAY_NAME_FALLBACK = "file"
_MAX_EXTENSION_LENGTH = 10

# --- zips ----------------------------------------------------------------------------------------------------


class ZipRefused(Exception):
    """A zip that is not opened any further; the subclass says why."""


class ZipDamaged(ZipRefused):
    """Not a readable zip."""


class ZipTooLarge(ZipRefused):
    """More entries, or more bytes once unpacked, than allowed: a decompression bomb, or simply too much."""


class ZipUnsafePaths(ZipRefused):
    """An entry with an absolute path or a `..` part: unpacked as is, it would land outside its folder."""


def _unsafe_entry_name(name: str) -> bool:
    path = name.replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return True
    return ".." in path.split("/")


@contextlib.contextmanager
def bounded_zip(fileobj, *, max_unpacked_bytes: int, max_entries: int) -> Iterator[zipfile.ZipFile]:
    """The open zip, once its directory shows at most `max_entries` entries, at most `max_unpacked_bytes` in
    all once unpacked, and no entry outside its folder; nothing is inflated to find out. Raises a `ZipRefused`.

    Reading an entry afterwards is bounded too: zipfile stops at the entry's declared size (and then fails
    its CRC check), so a directory that lies about sizes cannot make it inflate more."""
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ZipDamaged() from None
    with archive:
        entries = archive.infolist()
        if len(entries) > max_entries or sum(entry.file_size for entry in entries) > max_unpacked_bytes:
            raise ZipTooLarge()
        if any(_unsafe_entry_name(entry.filename) for entry in entries):
            raise ZipUnsafePaths()
        yield archive


# --- kinds ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """What the content checks look at: the first bytes, filetype's guess, and for an Office zip the content
    type of its main part (None when the file is not such a zip)."""

    head: bytes
    guessed_mime: str | None
    office_main: str | None = None


@dataclass(frozen=True)
class Kind:
    """A type of file people may upload: its name, the extensions its files carry (the first one is used for
    stored names), the content type it is served with, and the check of its content."""

    name: str
    label: str
    extensions: tuple[str, ...]
    content_type: str
    matches: Callable[[Sample], bool]
    office_main: str = ""  # the main part's content type in [Content_Types].xml, for Office Open XML kinds

    @property
    def extension(self) -> str:
        return self.extensions[0]

    def __str__(self) -> str:
        return self.label


def _guessed(mime: str) -> Callable[[Sample], bool]:
    return lambda sample: sample.guessed_mime == mime


def _office(main: str) -> Callable[[Sample], bool]:
    return lambda sample: sample.office_main == main


def _text_start(head: bytes) -> str | None:
    """The first bytes as lower-case text without a BOM or leading space, or None for binary content."""
    if b"\x00" in head:
        return None
    head = head.removeprefix(b"\xef\xbb\xbf")
    return head.decode("utf-8", errors="replace").lstrip().lower()


def _is_html(sample: Sample) -> bool:
    text = _text_start(sample.head)
    if text is None or sample.guessed_mime:
        return False
    if text.startswith(("<!doctype html", "<html")):
        return True
    return bool(re.search(r"<(html|head|body|script|iframe|svg)[\s>/]", text[:1024]))


def _is_xml(sample: Sample) -> bool:
    text = _text_start(sample.head)
    return text is not None and not sample.guessed_mime and text.startswith("<?xml") and not _is_html(sample)


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACROS = "application/vnd.ms-office.vbaProject"

PDF = Kind("pdf", "PDF", ("pdf",), "application/pdf", lambda s: s.head.startswith(b"%PDF-"))
DOCX = Kind(
    "docx",
    "DOCX",
    ("docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    _office(DOCX_MAIN),
    DOCX_MAIN,
)
PPTX = Kind(
    "pptx",
    "PPTX",
    ("pptx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    _office(PPTX_MAIN),
    PPTX_MAIN,
)
XLSX = Kind(
    "xlsx",
    "XLSX",
    ("xlsx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    _office(XLSX_MAIN),
    XLSX_MAIN,
)
JPG = Kind("jpg", "JPG", ("jpg", "jpeg"), "image/jpeg", _guessed("image/jpeg"))
PNG = Kind("png", "PNG", ("png",), "image/png", _guessed("image/png"))
WEBP = Kind("webp", "WEBP", ("webp",), "image/webp", _guessed("image/webp"))
# For reports (issue 11): the content checks here only tell the kind apart; reading such a file (defusedxml
# for XML, a sanitiser for HTML) is the report's business, and they are still only ever served as downloads.
XLS = Kind(
    "xls",
    "XLS",
    ("xls",),
    "application/vnd.ms-excel",
    lambda s: s.head.startswith(OLE_SIGNATURE) and s.guessed_mime == "application/vnd.ms-excel",
)
XML = Kind("xml", "XML", ("xml",), "application/xml", _is_xml)
HTML = Kind("html", "HTML", ("html", "htm"), "text/html", _is_html)

# Every kind, in the order they are tried (binary signatures first, text last).
KINDS: dict[str, Kind] = {kind.name: kind for kind in (PDF, DOCX, PPTX, XLSX, JPG, PNG, WEBP, XLS, XML, HTML)}
# Lot attachments and deal messages (SPEC §3, issue 9).
ATTACHMENT_KINDS: tuple[Kind, ...] = (PDF, DOCX, PPTX, XLSX, JPG, PNG, WEBP)
_OFFICE_MAINS = {kind.office_main for kind in KINDS.values() if kind.office_main}


def _office_main(archive: zipfile.ZipFile) -> str | None:
    """The content type of the one Office main part the zip declares and holds, or None."""
    try:
        info = archive.getinfo(CONTENT_TYPES_PART)
    except KeyError:
        return None
    if info.file_size > CONTENT_TYPES_MAX_BYTES:
        return None
    try:
        root = ElementTree.fromstring(archive.read(info))
    except Exception:  # a damaged entry, bad XML, or an entity defusedxml refuses
        return None
    declared: dict[str, str] = {}
    for element in root:
        content_type = element.get("ContentType", "")
        if content_type == MACROS:
            return None
        if element.tag.endswith("Override"):
            declared[element.get("PartName", "").lstrip("/")] = content_type
    names = set(archive.namelist())
    mains = {content_type for part, content_type in declared.items() if content_type in _OFFICE_MAINS}
    if len(mains) != 1:
        return None
    (main,) = mains
    if not any(part in names for part, content_type in declared.items() if content_type == main):
        return None
    return main


# --- the policy and the checks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadPolicy:
    """What one form (or one object, counting what it already holds) may receive."""

    kinds: tuple[Kind, ...]
    max_bytes: int  # per file
    max_files: int  # per form or object, those already attached included
    max_unpacked_bytes: int = 100 * MB  # an Office file, unpacked
    max_entries: int = 2000  # an Office file's zip entries

    @property
    def accept(self) -> str:
        """The `accept` attribute of the file input: ".pdf,.docx,…" (a hint to the browser, never a check)."""
        return ",".join(f".{extension}" for kind in self.kinds for extension in kind.extensions)

    @property
    def kinds_text(self) -> str:
        return ", ".join(kind.label for kind in self.kinds)

    @property
    def help_text(self):
        """ "PDF, DOCX, …; up to 10 MB each, at most 10 files." — lazy, so a form class may hold it."""
        return _lazy_help_text(self)


def _help_text(policy: UploadPolicy) -> str:
    return ngettext(
        "%(kinds)s; up to %(size)s each, at most %(count)d file.",
        "%(kinds)s; up to %(size)s each, at most %(count)d files.",
        policy.max_files,
    ) % {"kinds": policy.kinds_text, "size": filesizeformat(policy.max_bytes), "count": policy.max_files}


_lazy_help_text = lazy(_help_text, str)


@dataclass(frozen=True)
class CheckedUpload:
    """An uploaded file that passed every rule; not stored yet."""

    file: Any  # the UploadedFile
    kind: Kind
    display_name: str
    size: int

    @property
    def content_type(self) -> str:
        return self.kind.content_type


def check_files(files: Sequence, policy: UploadPolicy, *, already: int = 0) -> list[CheckedUpload]:
    """Every file checked against the policy (see the module's rules); `already` is how many files the object
    holds before these. Returns them checked, or raises a ValidationError carrying one translated message per
    refused file (too many files: one message for all) — then nothing may be stored."""
    files = [file for file in files if file is not None]
    if already + len(files) > policy.max_files:
        raise _too_many(policy.max_files, already)
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(check_file(upload, policy))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return checked


def unsafe_name(name: str) -> bool:
    """A name no browser sends for a file the person picked: folders in it, or control and format characters
    (a bidi override that shows `exe.pdf` as `fdp.exe`, a bell, a newline). Such an upload is refused."""
    return any(char in "/\\" or unicodedata.category(char) in ("Cc", "Cf") for char in str(name))


def check_file(upload, policy: UploadPolicy) -> CheckedUpload:
    """One file against the policy's per-file rules (the count is `check_files`'s)."""
    raw_name = str(getattr(upload, "name", "") or "")
    name = display_name(raw_name)
    params = {"name": name, "kinds": policy.kinds_text, "limit": filesizeformat(policy.max_bytes)}
    if unsafe_name(raw_name):
        raise ValidationError(
            _(
                "“%(name)s”: a file name may not contain folders or control characters; "
                "rename the file and upload it again."
            ),
            code="upload_bad_name",
            params=params,
        )
    size = _size(upload)
    if size > policy.max_bytes:
        raise ValidationError(_("“%(name)s” is larger than %(limit)s."), code="upload_too_large", params=params)
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty."), code="upload_empty", params=params)
    kind = detect_kind(upload, policy, name=name)
    if kind is None or kind not in policy.kinds:
        raise ValidationError(
            _("“%(name)s” is not a file of an allowed type. Allowed: %(kinds)s."),
            code="upload_not_allowed",
            params=params,
        )
    if extension_of(name) not in kind.extensions:
        raise ValidationError(
            _(
                "“%(name)s” is a %(kind)s file, but its name does not end in .%(extension)s: "
                "rename it and upload it again."
            ),
            code="upload_misnamed",
            params={**params, "kind": kind.label, "extension": kind.extension},
        )
    upload.seek(0)
    return CheckedUpload(file=upload, kind=kind, display_name=name, size=size)


def detect_kind(upload, policy: UploadPolicy, *, name: str = "") -> Kind | None:
    """The kind of the upload by its content, or None for anything we do not know. An Office zip that is too
    large unpacked, damaged or unsafe raises its ValidationError here (naming `name`)."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    guess = filetype.guess(head) if head else None
    office_main = None
    if head.startswith(ZIP_SIGNATURE):
        params = {"name": name, "limit": filesizeformat(policy.max_unpacked_bytes)}
        try:
            with bounded_zip(
                upload, max_unpacked_bytes=policy.max_unpacked_bytes, max_entries=policy.max_entries
            ) as archive:
                office_main = _office_main(archive)
        except ZipTooLarge:
            raise ValidationError(
                _("“%(name)s” unpacks to more than %(limit)s (or too many parts): it cannot be accepted."),
                code="upload_zip_bomb",
                params=params,
            ) from None
        except ZipUnsafePaths:
            raise ValidationError(
                _("“%(name)s” is a damaged archive (its parts point outside the file): save it again and upload it."),
                code="upload_unsafe_archive",
                params=params,
            ) from None
        except ZipDamaged:
            return None
        finally:
            upload.seek(0)
    sample = Sample(head=head, guessed_mime=guess.mime if guess else None, office_main=office_main)
    return next((kind for kind in KINDS.values() if kind.matches(sample)), None)


def _size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    return size


def _too_many(limit: int, already: int) -> ValidationError:
    params = {"limit": limit, "count": already}
    if already:
        message = ngettext_lazy(
            "At most %(limit)d file may be attached, and %(count)d are attached already.",
            "At most %(limit)d files may be attached, and %(count)d are attached already.",
            "limit",
        )
    else:
        message = ngettext_lazy("Upload at most %(limit)d file.", "Upload at most %(limit)d files.", "limit")
    return ValidationError(message, code="upload_too_many", params=params)


# --- display names -------------------------------------------------------------------------------------------


def extension_of(name: str) -> str:
    """ "Report.PDF" → "pdf"; "" when the name has no extension."""
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def display_name(name: str, *, max_length: int = DISPLAY_NAME_MAX_LENGTH) -> str:
    """The user's file name made safe to show and to offer back as a download name: only its last path part,
    without control, format (bidi overrides, zero-width) or unassigned characters, spaces collapsed, at most
    `max_length` characters keeping the extension, never empty."""
    name = unicodedata.normalize("NFC", str(name))
    name = re.split(r"[/\\]", name)[-1]
    kept = []
    for char in name:
        category = unicodedata.category(char)
        if category in ("Zs", "Zl", "Zp") or char in "\t\n\r":
            kept.append(" ")
        elif category[0] != "C":  # Cc control, Cf format (U+202E…), Cs surrogates, Co private use, Cn unassigned
            kept.append(char)
    name = " ".join("".join(kept).split()).rstrip(". ")
    if name in ("", ".", ".."):
        return DISPLAY_NAME_FALLBACK
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > _MAX_EXTENSION_LENGTH or " " in extension:
        stem, extension = name, ""
    stem = stem.strip() or DISPLAY_NAME_FALLBACK
    suffix = f".{extension}" if extension else ""
    stem = stem[: max(1, max_length - len(suffix))].rstrip(". ") or DISPLAY_NAME_FALLBACK
    return f"{stem}{suffix}"[:max_length]


# --- storing and deleting ------------------------------------------------------------------------------------


def store_upload(checked: CheckedUpload, *, prefix: str) -> str:
    """Store a checked upload under `<prefix>/<uuid4 hex>.<the kind's extension>`; returns the stored name.
    Call it inside the service that writes the row naming the file (see `delete_after_commit`)."""
    prefix = prefix.strip("/")
    if not prefix or ".." in prefix.split("/") or "\\" in prefix:
        raise ValueError(f"unsafe storage prefix {prefix!r}")
    checked.file.seek(0)
    return default_storage.save(f"{prefix}/{uuid.uuid4().hex}.{checked.kind.extension}", checked.file)


def delete_after_commit(names: Iterable[str]) -> None:
    """Delete stored files once the current transaction commits (at once outside one): for rows that were
    deleted, or files replaced. Never before: a transaction that rolls back keeps its rows, and their files.

    The other direction has no hook: Django cannot run anything when a transaction rolls back, so a file
    stored by a transaction that then fails stays orphaned — `discard_on_failure` removes the files when the
    failure is an exception out of the service; only a failure of an outer transaction or of the database at
    commit can still leave one (as for logos, DECISIONS.md)."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: _delete(names))


@contextlib.contextmanager
def discard_on_failure() -> Iterator[list[str]]:
    """Collects names of files stored inside the block; if the block raises, they are deleted (the
    transaction that would have named them rolls back with the same exception). Use it outside the
    `transaction.atomic` of the service:

        with discard_on_failure() as stored:
            with transaction.atomic():
                stored.append(store_upload(upload, prefix=...))
                ...  # rows, audit; an exception here deletes the stored files
    """
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        _delete(stored)
        raise


def _delete(names: Iterable[str]) -> None:
    for name in names:
        with contextlib.suppress(Exception):  # a file already gone, or storage down: it stays an orphan
            default_storage.delete(name)


# --- serving -------------------------------------------------------------------------------------------------


class StoredFileMissing(Exception):
    """The row names a file the storage no longer has: the view answers with its 404 (`found_or_deny`)."""


def file_response(*, name: str, display_name: str, content_type: str) -> FileResponse:
    """The stored file `name` as a download called `display_name`, never rendered by the browser.
    Raises StoredFileMissing when the storage has no such file."""
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise StoredFileMissing(name) from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = attachment_header(display_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_header(filename: str) -> str:
    """`attachment; filename="…"` (RFC 6266) with an ASCII name for old clients, and the exact name as
    `filename*=UTF-8''…` (RFC 8187) when it is not plain ASCII."""
    filename = display_name(filename)
    fallback = _ascii_name(filename)
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


# fmt: off
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "iu", "я": "ia",
}
# fmt: on


def _ascii_name(filename: str) -> str:
    """The name in printable ASCII for clients that ignore `filename*`: Russian letters transliterated
    ("Отчёт.pdf" → "Otchet.pdf"), accents dropped (é → e), anything else, a quote or a backslash → "_"."""
    chars = []
    for char in filename:
        lower = char.lower()
        if lower in _TRANSLIT:
            latin = _TRANSLIT[lower]
            chars.append(latin.capitalize() if char != lower else latin)
            continue
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            chars.append(part if 0x20 <= ord(part) < 0x7F and part not in '"\\' else "_")
    text = re.sub(r"_{2,}", "_", "".join(chars)).strip()
    stem, dot, extension = text.rpartition(".")
    if not (dot and stem):
        stem, extension = text, ""
    if not re.search(r"[A-Za-z0-9]", stem):
        stem = DISPLAY_NAME_FALLBACK
    return f"{stem}.{extension}" if extension else stem
