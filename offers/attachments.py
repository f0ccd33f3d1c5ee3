"""Attachments of lots and deal messages (issue 9): the upload policies, and which files make a lot's terms.

The rules of every upload are `portal.uploads` (docs/RECIPES.md, "Add an upload"); here are this app's limits.

A lot's files are part of its terms under moderation, kept the way its other terms are (`offers.models`):

* the `Attachment` rows with `live=True` are the lot row's set — what partners see once it is published, the
  owner's working copy before;
* a revision's snapshot holds the ids of the files it proposes under `ATTACHMENTS_KEY`; approving it moves
  the `live` flags to exactly that set, and nothing else ever moves them on a published lot;
* a row stays while anything names it — the live set, or any revision's snapshot (the moderator's diff and
  the history show what was removed, and staff can still open it); a row nothing names any more (a file
  added to a draft and taken off again, or proposed in a revision that a newer edit replaced) is deleted
  with its file (`offers.services._drop_unreferenced`).
"""

from __future__ import annotations

from offers.models import RevisionStatus
from offers.transitions import REVISABLE
from portal.uploads import ATTACHMENT_KINDS, MB, UploadPolicy

# A lot: at most 10 files in the set its terms name (the live set, or the one proposed), 10 MB each.
LOT_ATTACHMENTS = UploadPolicy(kinds=ATTACHMENT_KINDS, max_bytes=10 * MB, max_files=10)
# A deal message: at most 5 files, 10 MB each.
MESSAGE_ATTACHMENTS = UploadPolicy(kinds=ATTACHMENT_KINDS, max_bytes=10 * MB, max_files=5)

LOT_PREFIX = "offers/lots"
MESSAGE_PREFIX = "offers/messages"

# The key of a revision's snapshot (`LotRevision.terms`) that lists the ids of the files it proposes.
ATTACHMENTS_KEY = "attachments"
# New terms of a live lot that the owner's next edit starts from.
WORKING_REVISION_STATUSES = (RevisionStatus.PENDING, RevisionStatus.CHANGES_REQUESTED)


def snapshot_ids(terms: dict | None) -> list[int] | None:
    """The attachment ids a snapshot proposes, or None when it names none (written before attachments)."""
    if not terms or ATTACHMENTS_KEY not in terms:
        return None
    return [int(pk) for pk in terms[ATTACHMENTS_KEY]]


def working_set(lot, latest, files: dict) -> list:
    """The files the lot's terms hold for its owner's next edit: those the working revision proposes (see
    `working_revision`), else the lot row's set. `files` is every attachment of the lot by id."""
    revision = working_revision(lot, latest)
    ids = snapshot_ids(revision.terms) if revision is not None else None
    if ids is None:
        return sorted((a for a in files.values() if a.live), key=lambda a: (a.created_at, a.pk))
    return [files[pk] for pk in ids if pk in files]


def working_revision(lot, latest):
    """The revision whose terms the owner's form starts from (`latest` is the lot's newest revision), or None
    when it starts from the lot row: new terms of a live lot still waiting, or sent back with changes asked.
    The lot form (`cabinets.views.lots.lot_edit`) and `offers.services.lot_update` agree through this."""
    if lot.status in REVISABLE and latest is not None and latest.status in WORKING_REVISION_STATUSES:
        return latest
    return None
