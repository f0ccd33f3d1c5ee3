"""The HTTP side of exports: render an exporter (portal/exports.py) to a temporary file, journal the
export, and stream the file back with flat memory."""

from __future__ import annotations

import tempfile

from django.http import StreamingHttpResponse

import auditlog
from portal.exports import CONTENT_TYPES, ListExporter

CHUNK_SIZE = 64 * 1024


def _chunks(fileobj, chunk_size=CHUNK_SIZE):
    try:
        fileobj.seek(0)
        while chunk := fileobj.read(chunk_size):
            yield chunk
    finally:
        fileobj.close()


def export_response(exporter: ListExporter, *, fmt: str, request) -> StreamingHttpResponse:
    """Render `exporter` to a temporary file, journal the export, and stream the file back."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"unknown export format {fmt!r}")
    filename = exporter.filename(fmt)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 — closed by the streaming response once sent
    try:
        rows = exporter.write(spool, fmt)
    except BaseException:
        spool.close()
        raise
    auditlog.record(
        actor=request.user,
        event=exporter.audit_event,
        request=request,
        object_text=filename,
        changes={"export": exporter.name, "format": fmt, "rows": rows, **exporter.audit_details()},
    )
    size = spool.tell()
    response = StreamingHttpResponse(_chunks(spool), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(size)
    response["Cache-Control"] = "no-store"
    return response
