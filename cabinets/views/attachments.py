"""Downloads of the files attached to lots and deal messages (docs/RECIPES.md "Add an upload", step 4).

Each view finds the file through a selector that applies who may open it, and everything else is the
journaled 404 of `found_or_deny`: a lot's owner opens every file of its lots (live, proposed, kept for the
history); a partner in the marketplace only the live files of a published lot of another project; either
party of a deal the files of its messages; staff who moderate any file. A download is journaled
(`files.downloaded`) and served by `portal.uploads.file_response`: always as an attachment, `nosniff`,
sandboxed, never cached.
"""

from __future__ import annotations

from django.urls import reverse
from django.views.decorators.http import require_safe

import auditlog
from accounts.capabilities import Capability
from auditlog import events
from cabinets.access import capability_required, found_or_deny
from offers.models import Attachment
from offers.selectors import (
    attachment_project,
    deal_attachment_get,
    market_attachment_get,
    own_lot_attachment_get,
    staff_attachment_get,
)
from portal.uploads import StoredFileMissing, file_response


def _serve(request, attachment: Attachment | None):
    attachment = found_or_deny(request, attachment, reason="attachment not found")
    try:
        response = file_response(
            name=attachment.file, display_name=attachment.display_name, content_type=attachment.content_type
        )
    except StoredFileMissing:
        found_or_deny(request, None, reason="file missing")
    auditlog.record(
        actor=request.user,
        event=events.FILE_DOWNLOADED,
        obj=attachment,
        project=attachment_project(attachment),
        request=request,
        changes={"file": attachment.display_name, "size": attachment.size},
    )
    return response


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def lot_attachment(request, pk: int, attachment_pk: int):
    """A file of one of the project's own lots."""
    return _serve(request, own_lot_attachment_get(project=request.project, lot_pk=pk, pk=attachment_pk))


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def market_attachment(request, pk: int, attachment_pk: int):
    """A file of the live terms of a lot in the marketplace."""
    return _serve(request, market_attachment_get(project=request.project, lot_pk=pk, pk=attachment_pk))


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def deal_attachment(request, code: str, attachment_pk: int):
    """A file of a message of one of the project's deals."""
    return _serve(request, deal_attachment_get(project=request.project, code=code, pk=attachment_pk))


@capability_required(Capability.VIEW_ALL_PROJECTS, Capability.MODERATE_LOTS)
@require_safe
def staff_attachment(request, pk: int):
    """Any file, for staff who moderate: lots on the moderation card, deal messages on the staff deal pages."""
    return _serve(request, staff_attachment_get(user=request.user, pk=pk))


def href_prefix(url_name: str, *, key: str = "attachment_pk", **kwargs) -> str:
    """The download URL without the file's id: a list appends "<id>/" to it (no reverse() per file)."""
    return reverse(url_name, kwargs={**kwargs, key: 0}).removesuffix("0/")
