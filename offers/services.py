"""Writes of the marketplace (STYLE.md rule 1): every change of a lot goes through here, audited in its own
transaction, its status changes checked against the one table (`offers/transitions.py`)."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

import auditlog
from accounts.capabilities import Capability, has_capability
from accounts.models import Role, User, UserStatus
from notifications.services import notify
from offers import codes, events
from offers.attachments import (
    ATTACHMENTS_KEY,
    LOT_ATTACHMENTS,
    LOT_PREFIX,
    MESSAGE_ATTACHMENTS,
    MESSAGE_PREFIX,
    snapshot_ids,
    working_set,
)
from offers.models import (
    MAX_CASHBACK_POINTS,
    MAX_QUOTA,
    TERM_FIELDS,
    Attachment,
    BenefitType,
    CloseReason,
    Deal,
    DealMessage,
    DealStatus,
    DealThreadRead,
    Lot,
    LotRevision,
    LotStatus,
    LotStatusChange,
    Response,
    ResponseStatus,
    RevisionStatus,
    terms_snapshot,
)
from offers.transitions import EDITABLE_IN_PLACE, MODERATOR, OWNER, REVISABLE, SYSTEM, TRANSITIONS
from portal.exceptions import ApplicationError
from portal.uploads import CheckedUpload, delete_after_commit, discard_on_failure, store_upload
from projects.models import Membership, Project, ProjectRight

# --- who is acting ---------------------------------------------------------------------------------------


def _side(actor: User | None, project: Project) -> str | None:
    """Which side of the transition table `actor` stands on for a lot of `project`."""
    if actor is None:
        return SYSTEM
    if has_capability(actor, Capability.MODERATE_LOTS):
        return MODERATOR
    if has_capability(actor, Capability.USE_PROJECT_CABINET) and is_manager(actor, project):
        return OWNER
    return None


def is_manager(user: User, project: Project) -> bool:
    """May `user` act for `project` (a membership with the manager right in an active project)?"""
    return Membership.objects.filter(
        user=user, project=project, project__active=True, right=ProjectRight.MANAGER
    ).exists()


def _require_manager(actor: User, project: Project) -> None:
    if not (has_capability(actor, Capability.USE_PROJECT_CABINET) and is_manager(actor, project)):
        raise ApplicationError(_("Only a manager of the project can do this."))


def _transition(lot: Lot, name: str, actor: User | None, *, comment: str = "") -> str:
    """Move a locked `lot` along the table: check the state and the actor's side, record the history row and
    the audit event. Returns the old status."""
    transition = TRANSITIONS[name]
    side = _side(actor, lot.project)
    if side not in transition.by:
        raise ApplicationError(_("You may not do this with this lot."))
    if lot.status not in transition.sources:
        raise ApplicationError(
            _("This cannot be done while the lot is “%(status)s”.") % {"status": lot.get_status_display()}
        )
    old = lot.status
    lot.status = transition.target
    LotStatusChange.objects.create(lot=lot, from_status=old, to_status=lot.status, actor=actor, comment=comment)
    changes = {"status": (old, lot.status)}
    if comment:
        changes["comment"] = ("", comment)
    auditlog.record(actor=actor, event=events.LOT_AUDIT[name], obj=lot, project=lot.project, changes=changes)
    return old


def _locked(lot: Lot) -> Lot:
    # `of=("self",)`: the lot's row only. Without it PostgreSQL also locks the joined project's row, and every
    # change of any lot of a project would wait for the others.
    return Lot.objects.select_for_update(of=("self",)).select_related("project").get(pk=lot.pk)


# --- terms -------------------------------------------------------------------------------------------------


def clean_terms(data: dict) -> dict:
    """The terms of `data` checked together (each field alone is the form's job): a clear error per rule."""
    terms = {field: data.get(field) for field in TERM_FIELDS}
    if not (terms["title"] or "").strip():
        raise ApplicationError(_("Give the lot a title."))
    terms["title"] = " ".join(terms["title"].split())
    if not terms["quota"] or int(terms["quota"]) < 1:
        raise ApplicationError(_("The quota is at least one new client."))
    if int(terms["quota"]) > MAX_QUOTA:
        raise ApplicationError(_("The quota is at most %(max)s new clients.") % {"max": MAX_QUOTA})
    if int(terms["cashback_points"] or 0) > MAX_CASHBACK_POINTS:
        raise ApplicationError(_("The cashback is at most %(max)s points.") % {"max": MAX_CASHBACK_POINTS})
    if terms["age_from"] and terms["age_to"] and terms["age_to"] < terms["age_from"]:
        raise ApplicationError(_("The audience's age “to” is below its age “from”."))
    if not terms["valid_from"] or not terms["valid_until"]:
        raise ApplicationError(_("Give the dates the lot is valid."))
    if terms["valid_until"] < terms["valid_from"]:
        raise ApplicationError(_("The lot ends before it starts: check the dates."))
    if terms["benefit_type"] not in BenefitType.values:
        raise ApplicationError(_("Choose the client's benefit."))
    value = Decimal(str(terms["benefit_value"] or 0))
    if value <= 0:
        raise ApplicationError(_("Give the client's benefit a value."))
    if terms["benefit_type"] == BenefitType.DISCOUNT_PERCENT and value > 100:
        raise ApplicationError(_("A discount is at most 100%."))
    if Decimal(str(terms["reward"] or 0)) < 0:
        raise ApplicationError(_("The reward cannot be negative."))
    terms["gender"] = terms["gender"] or "any"
    terms["segment"] = (terms["segment"] or "").strip()
    terms["description"] = (terms["description"] or "").strip()
    terms["cashback_points"] = terms["cashback_points"] or 0
    return terms


def _changes(before: dict, after: dict) -> dict:
    return {field: (before[field], after[field]) for field in TERM_FIELDS if before[field] != after[field]}


# --- the owner's side ------------------------------------------------------------------------------------


def lot_create(*, project: Project, actor: User, data: dict, files: Sequence[CheckedUpload] = ()) -> Lot:
    """A manager of `project` drafts a lot, with `files` (checked by `offers.attachments.LOT_ATTACHMENTS`)
    attached; nobody else sees it until moderation publishes it."""
    with discard_on_failure() as stored:
        return _lot_create(project=project, actor=actor, data=data, files=files, stored=stored)


@transaction.atomic
def _lot_create(*, project: Project, actor: User, data: dict, files: Sequence[CheckedUpload], stored: list) -> Lot:
    _require_manager(actor, project)
    terms = clean_terms(data)
    _check_lot_file_count(len(files))
    lot = Lot(project=project, created_by=actor, status=LotStatus.DRAFT, **terms)
    lot.save()
    added = _store_attachments(files, stored=stored, prefix=LOT_PREFIX, actor=actor, lot=lot, live=True)
    LotStatusChange.objects.create(lot=lot, from_status="", to_status=LotStatus.DRAFT, actor=actor)
    changes = {field: ("", value) for field, value in lot.terms().items() if value not in ("", None)}
    if added:
        changes[ATTACHMENTS_KEY] = ("", [a.display_name for a in added])
    auditlog.record(actor=actor, event=events.LOT_CREATED, obj=lot, project=project, changes=changes)
    return lot


def lot_update(
    *,
    lot: Lot,
    actor: User,
    data: dict,
    files: Sequence[CheckedUpload] = (),
    remove: Collection[int] = (),
) -> Lot:
    """Edit a lot's terms: `data`, plus `files` to attach and the ids of attached files to `remove`.

    A draft, or a lot sent back with changes requested, is edited in place. A published or paused lot
    keeps the terms partners see: the edit becomes a pending revision for moderation (one at a time —
    editing again while it waits replaces what it proposes), and the lot stays live meanwhile; its files
    too — new ones wait in the revision, removed ones stay live until it is approved."""
    with discard_on_failure() as stored:
        return _lot_update(lot=lot, actor=actor, data=data, files=files, remove=set(remove), stored=stored)


@transaction.atomic
def _lot_update(
    *, lot: Lot, actor: User, data: dict, files: Sequence[CheckedUpload], remove: set[int], stored: list
) -> Lot:
    lot = _locked(lot)
    _require_manager(actor, lot.project)
    terms = clean_terms(data)
    if lot.status in EDITABLE_IN_PLACE:
        before = lot.terms()
        current = list(Attachment.objects.filter(lot=lot, live=True).order_by("created_at", "id"))
        removed = [a for a in current if a.pk in remove]
        _check_lot_file_count(len(current) - len(removed) + len(files))
        for field, value in terms.items():
            setattr(lot, field, value)
        lot.save()
        if removed:
            Attachment.objects.filter(pk__in=[a.pk for a in removed]).update(live=False)
        added = _store_attachments(files, stored=stored, prefix=LOT_PREFIX, actor=actor, lot=lot, live=True)
        changed = _changes(before, lot.terms())
        if removed or added:
            kept = [a for a in current if a.pk not in remove]
            changed[ATTACHMENTS_KEY] = (_names(current), _names(kept + added))
        _drop_unreferenced(lot, [a.pk for a in removed])
        if changed:
            auditlog.record(actor=actor, event=events.LOT_UPDATED, obj=lot, project=lot.project, changes=changed)
        return lot
    if lot.status not in REVISABLE:
        raise ApplicationError(_("A lot that is “%(status)s” cannot be edited.") % {"status": lot.get_status_display()})
    rows = {a.pk: a for a in Attachment.objects.filter(lot=lot).order_by("created_at", "id")}
    live_ids = [pk for pk, a in rows.items() if a.live]
    base = working_set(lot, lot.revisions.order_by("-number").first(), rows)
    kept_ids = [a.pk for a in base if a.pk not in remove]
    _check_lot_file_count(len(kept_ids) + len(files))
    proposed = terms_snapshot(terms)
    changed = _changes(lot.terms(), proposed)
    added = _store_attachments(files, stored=stored, prefix=LOT_PREFIX, actor=actor, lot=lot, live=False)
    rows.update({a.pk: a for a in added})
    proposed_ids = kept_ids + [a.pk for a in added]
    if set(proposed_ids) != set(live_ids):
        changed[ATTACHMENTS_KEY] = (_names(rows[pk] for pk in live_ids), _names(rows[pk] for pk in proposed_ids))
    if not changed:
        raise ApplicationError(_("Nothing changed: the lot already has these terms."))
    proposed[ATTACHMENTS_KEY] = proposed_ids
    pending = lot.revisions.filter(status=RevisionStatus.PENDING).first()
    if pending is not None:
        replaced = snapshot_ids(pending.terms) or []
        pending.terms, pending.author, pending.created_at = proposed, actor, timezone.now()
        pending.save(update_fields=["terms", "author", "created_at"])
        revision = pending
        _drop_unreferenced(lot, replaced)
    else:
        revision = _new_revision(lot, proposed, actor)
    auditlog.record(
        actor=actor,
        event=events.LOT_REVISION_PROPOSED,
        obj=lot,
        project=lot.project,
        changes={**changed, "revision": ("", revision.number)},
    )
    _notify_staff_of_submission(lot)
    return lot


def _check_lot_file_count(count: int) -> None:
    """The form counted first (`portal.uploads.check_files`); this counts again under the lot's lock."""
    if count > LOT_ATTACHMENTS.max_files:
        raise ApplicationError(
            _("A lot may have at most %(limit)d files attached.") % {"limit": LOT_ATTACHMENTS.max_files}
        )


def _store_attachments(
    files: Sequence[CheckedUpload], *, stored: list, prefix: str, actor: User, **owner
) -> list[Attachment]:
    """Store each checked upload under a generated name and write its row (`owner`: lot= or message=, and
    for a lot `live=`). The names go to `stored`, so a service that fails deletes the files again."""
    rows = []
    for upload in files:
        name = store_upload(upload, prefix=prefix)
        stored.append(name)
        rows.append(
            Attachment.objects.create(
                file=name,
                display_name=upload.display_name,
                content_type=upload.content_type,
                size=upload.size,
                uploaded_by=actor,
                **owner,
            )
        )
    return rows


def _names(attachments) -> list[str]:
    return [attachment.display_name for attachment in attachments]


def _drop_unreferenced(lot: Lot, candidate_ids) -> None:
    """Delete those of `candidate_ids` that nothing names any more — not in the live set, in no revision's
    snapshot — and their files once the transaction commits (offers.attachments: what is kept, and why)."""
    candidates = set(candidate_ids)
    if not candidates:
        return
    for terms in lot.revisions.values_list("terms", flat=True):
        candidates -= set(snapshot_ids(terms) or ())
    rows = list(Attachment.objects.filter(lot=lot, live=False, pk__in=candidates).only("pk", "file"))
    if rows:
        Attachment.objects.filter(pk__in=[row.pk for row in rows]).delete()
        delete_after_commit([row.file for row in rows])


def _row_snapshot(lot: Lot) -> dict:
    """The lot row's terms with its set of files: what a submission proposes."""
    ids = list(Attachment.objects.filter(lot=lot, live=True).order_by("created_at", "id").values_list("pk", flat=True))
    return {**lot.terms(), ATTACHMENTS_KEY: ids}


def _new_revision(lot: Lot, terms: dict, actor: User | None) -> LotRevision:
    number = (lot.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
    return LotRevision.objects.create(lot=lot, number=number, terms=terms, author=actor)


@transaction.atomic
def lot_submit(*, lot: Lot, actor: User) -> Lot:
    """Send a draft (or a lot with changes requested) to moderation: its terms become a pending revision."""
    lot = _locked(lot)
    _transition(lot, "submit", actor)
    _new_revision(lot, _row_snapshot(lot), actor)
    lot.submitted_at = timezone.now()
    lot.save(update_fields=["status", "submitted_at", "updated_at"])
    _notify_staff_of_submission(lot)
    return lot


@transaction.atomic
def lot_pause(*, lot: Lot, actor: User) -> Lot:
    lot = _locked(lot)
    _transition(lot, "pause", actor)
    lot.save(update_fields=["status", "updated_at"])
    return lot


@transaction.atomic
def lot_resume(*, lot: Lot, actor: User) -> Lot:
    lot = _locked(lot)
    if lot.valid_until < timezone.localdate():
        raise ApplicationError(_("The lot's validity is over: it cannot be published again."))
    _transition(lot, "resume", actor)
    lot.save(update_fields=["status", "updated_at"])
    return lot


@transaction.atomic
def lot_close(*, lot: Lot, actor: User | None, reason: str = CloseReason.OWNER, comment: str = "") -> Lot:
    """Close a lot — by its owner, by staff, or by the portal (quota reached, validity over) — and complete
    its active deals: nobody brings clients to a closed lot."""
    lot = _locked(lot)
    _transition(lot, "close", actor, comment=comment)
    lot.closed_at = timezone.now()
    lot.close_reason = reason
    lot.save(update_fields=["status", "closed_at", "close_reason", "updated_at"])
    _complete_deals(lot, actor)
    _answer_pending_responses(lot, actor)
    return lot


@transaction.atomic
def lot_archive(*, lot: Lot, actor: User) -> Lot:
    lot = _locked(lot)
    _transition(lot, "archive", actor)
    lot.save(update_fields=["status", "updated_at"])
    return lot


def _complete_deals(lot: Lot, actor: User | None) -> int:
    deals = list(
        Deal.objects.select_for_update(of=("self",)).filter(lot=lot, status=DealStatus.ACTIVE).select_related("partner")
    )
    now = timezone.now()
    owner_team, staff = (_representatives(lot.project), _moderators()) if deals else ([], [])
    for deal in deals:
        deal.status, deal.ended_at, deal.ended_by = DealStatus.COMPLETED, now, actor
        deal.save(update_fields=["status", "ended_at", "ended_by"])
        auditlog.record(
            actor=actor,
            event=events.DEAL_COMPLETED_AUDIT,
            obj=deal,
            project=lot.project,
            changes={"status": (DealStatus.ACTIVE, DealStatus.COMPLETED), "reason": ("", "lot closed")},
        )
        _tell_deal_completed(deal, lot=lot, owner_team=owner_team, staff=staff)
    return len(deals)


def _tell_deal_completed(deal: Deal, *, lot: Lot, owner_team: list[User], staff: list[User]) -> None:
    """Both sides and staff learn that a deal completed (`owner_team` and `staff` read once by the caller)."""
    _tell_deal_sides(
        deal,
        event=events.DEAL_COMPLETED.code,
        context={"deal_title": lot.title, "owner_name": lot.project.name, "partner_name": deal.partner.name},
        owner_team=owner_team,
        partner_team=_representatives(deal.partner),
        staff=staff,
    )


def _deal_link(deal: Deal, project: Project | None = None) -> str:
    """The deal's page its reader can open: in `project`'s cabinet (`cabinet:deal_detail`), or staff's
    (`staff:deal_detail`) without one."""
    if project is None:
        return f"/staff/deals/{deal.code}/"
    return f"/cabinet/{project.slug}/deals/{deal.code}/"


def _tell_deal_sides(
    deal: Deal, *, event: str, context: dict, owner_team: list[User], partner_team: list[User], staff: list[User]
) -> None:
    """One notice to each group, each with the link to the deal page that group opens: the owner's cabinet,
    the partner's cabinet, the staff card. Someone in both teams is told once, as the owner."""
    owner_ids = {user.pk for user in owner_team}
    notify(recipients=owner_team, event=event, context=context, link=_deal_link(deal, deal.owner))
    notify(
        recipients=[user for user in partner_team if user.pk not in owner_ids],
        event=event,
        context=context,
        link=_deal_link(deal, deal.partner),
    )
    notify(recipients=staff, event=event, context=context, link=_deal_link(deal))


def _answer_pending_responses(lot: Lot, actor: User | None) -> None:
    """Responses nobody answered before the lot closed are answered now, so no partner waits for ever."""
    reason = _("The lot closed before the response was answered.")
    for response in Response.objects.select_for_update().filter(lot=lot, status=ResponseStatus.PENDING):
        response.status, response.decided_by, response.decided_at, response.reason = (
            ResponseStatus.REJECTED,
            actor,
            timezone.now(),
            reason,
        )
        response.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        auditlog.record(
            actor=actor,
            event=events.RESPONSE_REJECTED_AUDIT,
            obj=response,
            project=lot.project,
            changes={"status": (ResponseStatus.PENDING, ResponseStatus.REJECTED), "reason": ("", reason)},
        )
        notify(
            recipients=_representatives(response.project),
            event=events.RESPONSE_REJECTED.code,
            context={"lot_title": lot.title, "owner_name": lot.project.name, "reason": reason},
        )


@transaction.atomic
def close_expired(*, today: datetime.date | None = None) -> int:
    """Close every published or paused lot whose validity ended before `today` (the beat job and
    `manage.py close_expired`). Safe to run again: a closed lot is not found twice."""
    today = today or timezone.localdate()
    closed = 0
    for lot in Lot.objects.filter(status__in=[LotStatus.PUBLISHED, LotStatus.PAUSED], valid_until__lt=today):
        lot_close(lot=lot, actor=None, reason=CloseReason.EXPIRED)
        closed += 1
    return closed


# --- moderation ------------------------------------------------------------------------------------------


def _pending_revision(lot: Lot) -> LotRevision:
    if lot.status not in {LotStatus.MODERATION, *REVISABLE}:
        raise ApplicationError(
            _("The lot is “%(status)s”: its proposed terms are no longer reviewed.")
            % {"status": lot.get_status_display()}
        )
    revision = lot.revisions.select_for_update().filter(status=RevisionStatus.PENDING).first()
    if revision is None:
        raise ApplicationError(_("This lot has nothing waiting for moderation."))
    return revision


def _approve_attachments(lot: Lot, ids: list[int] | None) -> dict:
    """The approved snapshot's files become the live set (a snapshot naming none leaves the set as it is).
    Returns the audit's change of the set, if it changed."""
    if ids is None:
        return {}
    rows = list(Attachment.objects.filter(lot=lot).order_by("created_at", "id"))
    before = [a for a in rows if a.live]
    after = [a for a in rows if a.pk in set(ids)]
    Attachment.objects.filter(lot=lot, live=True).exclude(pk__in=ids).update(live=False)
    Attachment.objects.filter(lot=lot, live=False, pk__in=ids).update(live=True)
    if {a.pk for a in before} == {a.pk for a in after}:
        return {}
    return {ATTACHMENTS_KEY: (_names(before), _names(after))}


def _review(revision: LotRevision, actor: User, status: str, comment: str = "") -> None:
    revision.status, revision.reviewer, revision.reviewed_at, revision.comment = (
        status,
        actor,
        timezone.now(),
        comment,
    )
    revision.save(update_fields=["status", "reviewer", "reviewed_at", "comment"])


def _require_moderator(actor: User) -> None:
    if not has_capability(actor, Capability.MODERATE_LOTS):
        raise ApplicationError(_("Only Misty's moderators review lots."))


@transaction.atomic
def lot_approve(*, lot: Lot, actor: User) -> Lot:
    """Approve what waits: a first submission publishes the lot; a revision of a live lot becomes its terms."""
    _require_moderator(actor)
    lot = _locked(lot)
    revision = _pending_revision(lot)
    before = lot.terms()
    for field in TERM_FIELDS:
        setattr(lot, field, Lot._meta.get_field(field).to_python(revision.terms[field]))
    files_changed = _approve_attachments(lot, snapshot_ids(revision.terms))
    _review(revision, actor, RevisionStatus.APPROVED)
    lot.live_revision = revision
    if lot.status == LotStatus.MODERATION:
        _transition(lot, "approve", actor)
        lot.published_at = lot.published_at or timezone.now()
    else:
        LotStatusChange.objects.create(
            lot=lot, from_status=lot.status, to_status=lot.status, actor=actor, comment=_("New terms approved")
        )
        auditlog.record(
            actor=actor,
            event=events.LOT_REVISION_APPROVED,
            obj=lot,
            project=lot.project,
            changes={**_changes(before, lot.terms()), **files_changed, "revision": ("", revision.number)},
        )
    lot.save()
    notify(
        recipients=_representatives(lot.project),
        event=events.LOT_APPROVED.code,
        context={"lot_title": lot.title},
        link=_owner_lot_link(lot),
    )
    return lot


@transaction.atomic
def lot_request_changes(*, lot: Lot, actor: User, comment: str) -> Lot:
    """Send the waiting terms back with what to change. A live lot stays live on its approved terms."""
    return _refuse_pending(
        lot,
        actor,
        text=comment,
        missing=_("Say what should change."),
        transition="request_changes",
        revision_status=RevisionStatus.CHANGES_REQUESTED,
        revision_event=events.LOT_REVISION_CHANGES_REQUESTED,
        notification=events.LOT_CHANGES_REQUESTED.code,
        text_key="comment",
    )


@transaction.atomic
def lot_reject(*, lot: Lot, actor: User, reason: str) -> Lot:
    """Refuse the waiting terms. A first submission ends rejected; a live lot keeps its approved terms."""
    return _refuse_pending(
        lot,
        actor,
        text=reason,
        missing=_("Give the reason for the rejection."),
        transition="reject",
        revision_status=RevisionStatus.REJECTED,
        revision_event=events.LOT_REVISION_REJECTED,
        notification=events.LOT_REJECTED.code,
        text_key="reason",
    )


def _refuse_pending(
    lot: Lot,
    actor: User,
    *,
    text: str,
    missing: str,
    transition: str,
    revision_status: str,
    revision_event: str,
    notification: str,
    text_key: str,
) -> Lot:
    """What "request changes" and "reject" share: the moderator's text is required; the pending revision is
    reviewed with it; a first submission moves along the table, a live lot keeps its approved terms and
    its status; the owner's representatives are told."""
    _require_moderator(actor)
    text = (text or "").strip()
    if not text:
        raise ApplicationError(missing)
    lot = _locked(lot)
    revision = _pending_revision(lot)
    _review(revision, actor, revision_status, text)
    if lot.status == LotStatus.MODERATION:
        _transition(lot, transition, actor, comment=text)
        lot.save(update_fields=["status", "updated_at"])
    else:
        _revision_refused(lot, actor, revision_event, revision, text)
    notify(
        recipients=_representatives(lot.project),
        event=notification,
        context={"lot_title": lot.title, text_key: text},
        link=_owner_lot_link(lot),
    )
    return lot


def _revision_refused(lot: Lot, actor: User, event: str, revision: LotRevision, comment: str) -> None:
    LotStatusChange.objects.create(lot=lot, from_status=lot.status, to_status=lot.status, actor=actor, comment=comment)
    auditlog.record(
        actor=actor,
        event=event,
        obj=lot,
        project=lot.project,
        changes={"revision": ("", revision.number), "comment": ("", comment)},
    )


# --- who is told ---------------------------------------------------------------------------------------


def _representatives(project: Project) -> list[User]:
    return list(
        User.objects.filter(memberships__project=project, role=Role.REPRESENTATIVE).exclude(status=UserStatus.BLOCKED)
    )


def _moderators() -> list[User]:
    return list(User.objects.filter(role__in=[Role.MODERATOR, Role.ADMIN], status=UserStatus.ACTIVE))


def _owner_lot_link(lot: Lot) -> str:
    """The lot's card in its owner's cabinet (`cabinet:lot_detail`), where notifications about it lead."""
    return f"/cabinet/{lot.project.slug}/lots/{lot.pk}/"


def _notify_staff_of_submission(lot: Lot) -> None:
    notify(
        recipients=_moderators(),
        event=events.LOT_SUBMITTED.code,
        context={"lot_title": lot.title, "project_name": lot.project.name},
        link=f"/staff/lots/{lot.pk}/",
    )


# --- responses -----------------------------------------------------------------------------------------


@transaction.atomic
def response_submit(*, lot: Lot, project: Project, actor: User, data: dict) -> Response:
    """A manager of `project` offers to bring clients to another project's published lot: one open response
    per (lot, project), never to one's own lot, never to a paused or closed one."""
    _require_manager(actor, project)
    lot = _locked(lot)  # the lot's row first, as every service that touches its responses or deals
    if lot.project_id == project.pk:
        raise ApplicationError(_("A project cannot respond to its own lot."))
    if lot.status != LotStatus.PUBLISHED:
        raise ApplicationError(
            _("Only a published lot takes responses; this one is “%(status)s”.") % {"status": lot.get_status_display()}
        )
    channels = (data.get("channels") or "").strip()
    if not channels:
        raise ApplicationError(_("Say how and where you will advertise the lot."))
    response = Response(
        lot=lot,
        project=project,
        channels=channels,
        expected_reach=data.get("expected_reach") or None,
        proposed_start=data.get("proposed_start") or None,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise ApplicationError(_("Your project already has an open response to this lot.")) from None
    auditlog.record(
        actor=actor,
        event=events.RESPONSE_SUBMITTED,
        obj=response,
        project=project,
        changes={"lot": ("", lot.title), "channels": ("", channels)},
    )
    notify(
        recipients=_representatives(lot.project),
        event=events.RESPONSE_RECEIVED.code,
        context={"lot_title": lot.title, "partner_name": project.name},
        link=f"/cabinet/{lot.project.slug}/responses/",  # `cabinet:responses`, where it is accepted or rejected
    )
    return response


def _locked_response(response: Response) -> tuple[Lot, Response]:
    """Lock the lot, then the response (always in this order: no deadlock with closing or accepting)."""
    lot = _locked(response.lot)
    response = Response.objects.select_for_update(of=("self",)).select_related("project").get(pk=response.pk)
    return lot, response


def _decide(response: Response, status: str, actor: User, reason: str = "") -> str:
    old = response.status
    if old != ResponseStatus.PENDING:
        raise ApplicationError(_("This response is already “%(status)s”.") % {"status": response.get_status_display()})
    response.status, response.decided_by, response.decided_at, response.reason = (
        status,
        actor,
        timezone.now(),
        reason,
    )
    response.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    return old


@transaction.atomic
def response_withdraw(*, response: Response, actor: User) -> Response:
    """The partner takes back a response the owner has not answered yet."""
    _lot, response = _locked_response(response)
    _require_manager(actor, response.project)
    old = _decide(response, ResponseStatus.WITHDRAWN, actor)
    auditlog.record(
        actor=actor,
        event=events.RESPONSE_WITHDRAWN,
        obj=response,
        project=response.project,
        changes={"status": (old, response.status)},
    )
    return response


@transaction.atomic
def response_reject(*, response: Response, actor: User, reason: str) -> Response:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the partner a reason."))
    lot, response = _locked_response(response)
    _require_manager(actor, lot.project)
    old = _decide(response, ResponseStatus.REJECTED, actor, reason)
    auditlog.record(
        actor=actor,
        event=events.RESPONSE_REJECTED_AUDIT,
        obj=response,
        project=lot.project,
        changes={"status": (old, response.status), "reason": ("", reason)},
    )
    notify(
        recipients=_representatives(response.project),
        event=events.RESPONSE_REJECTED.code,
        context={"lot_title": lot.title, "owner_name": lot.project.name, "reason": reason},
    )
    return response


CODE_ATTEMPTS = 10


@transaction.atomic
def response_accept(*, response: Response, actor: User) -> Deal:
    """The owner accepts: a deal starts on the lot's approved terms, with a referral code of its own. Several
    partners may hold deals on one lot; they share its quota."""
    lot, response = _locked_response(response)
    _require_manager(actor, lot.project)
    if lot.status not in (LotStatus.PUBLISHED, LotStatus.PAUSED):
        raise ApplicationError(
            _("The lot is “%(status)s”: no deal can start on it.") % {"status": lot.get_status_display()}
        )
    old = _decide(response, ResponseStatus.ACCEPTED, actor)
    deal = None
    for _attempt in range(CODE_ATTEMPTS):  # a unique constraint decides, never check-then-insert
        try:
            with transaction.atomic():
                deal = Deal.objects.create(
                    lot=lot,
                    response=response,
                    owner=lot.project,
                    partner=response.project,
                    code=codes.new_code(),
                    terms=lot.terms(),
                    revision=lot.live_revision,
                )
            break
        except IntegrityError:
            continue
    if deal is None:
        raise ApplicationError(_("Could not make a referral code: try again."))
    auditlog.record(
        actor=actor,
        event=events.RESPONSE_ACCEPTED_AUDIT,
        obj=response,
        project=lot.project,
        changes={"status": (old, response.status)},
    )
    auditlog.record(
        actor=actor,
        event=events.DEAL_CREATED,
        obj=deal,
        project=lot.project,
        changes={"code": ("", deal.code), "partner": ("", response.project.name)},
    )
    notify(
        recipients=_representatives(response.project),
        event=events.RESPONSE_ACCEPTED.code,
        context={"lot_title": lot.title, "owner_name": lot.project.name},
        link=_deal_link(deal, response.project),
    )
    return deal


# --- deals ---------------------------------------------------------------------------------------------


def _deal_side(actor: User, deal: Deal) -> str | None:
    """ "owner", "partner" or "staff" — who `actor` is in this deal (None: nobody who may act)."""
    if has_capability(actor, Capability.MODERATE_LOTS):
        return "staff"
    if has_capability(actor, Capability.USE_PROJECT_CABINET):
        if is_manager(actor, deal.owner):
            return "owner"
        if is_manager(actor, deal.partner):
            return "partner"
    return None


def _locked_deal(deal: Deal) -> Deal:
    _locked(deal.lot)
    return (
        Deal.objects.select_for_update(of=("self",)).select_related("lot__project", "owner", "partner").get(pk=deal.pk)
    )


@transaction.atomic
def deal_complete(*, deal: Deal, actor: User) -> Deal:
    """Either party, or staff, completes an active deal; both sides and staff are told."""
    deal = _locked_deal(deal)
    if _deal_side(actor, deal) is None:
        raise ApplicationError(_("Only the two projects' managers or Misty's staff can complete a deal."))
    if deal.status != DealStatus.ACTIVE:
        raise ApplicationError(_("This deal is already “%(status)s”.") % {"status": deal.get_status_display()})
    deal.status, deal.ended_at, deal.ended_by = DealStatus.COMPLETED, timezone.now(), actor
    deal.save(update_fields=["status", "ended_at", "ended_by"])
    auditlog.record(
        actor=actor,
        event=events.DEAL_COMPLETED_AUDIT,
        obj=deal,
        project=deal.owner,
        changes={"status": (DealStatus.ACTIVE, DealStatus.COMPLETED)},
    )
    _tell_deal_completed(deal, lot=deal.lot, owner_team=_representatives(deal.owner), staff=_moderators())
    return deal


@transaction.atomic
def deal_cancel(*, deal: Deal, actor: User, reason: str) -> Deal:
    """Either party, or staff, calls an active deal off, with a reason the journal keeps; both sides and staff
    are told, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason for cancelling."))
    deal = _locked_deal(deal)
    if _deal_side(actor, deal) is None:
        raise ApplicationError(_("Only the two projects' managers or Misty's staff can cancel a deal."))
    if deal.status != DealStatus.ACTIVE:
        raise ApplicationError(_("This deal is already “%(status)s”.") % {"status": deal.get_status_display()})
    deal.status, deal.ended_at, deal.ended_by, deal.end_reason = DealStatus.CANCELLED, timezone.now(), actor, reason
    deal.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])
    auditlog.record(
        actor=actor,
        event=events.DEAL_CANCELLED_AUDIT,
        obj=deal,
        project=deal.owner,
        changes={"status": (DealStatus.ACTIVE, DealStatus.CANCELLED), "reason": ("", reason)},
    )
    _tell_deal_sides(
        deal,
        event=events.DEAL_CANCELLED.code,
        context={
            "deal_title": deal.lot.title,
            "owner_name": deal.owner.name,
            "partner_name": deal.partner.name,
            "reason": reason,
        },
        owner_team=_representatives(deal.owner),
        partner_team=_representatives(deal.partner),
        staff=_moderators(),
    )
    return deal


def deal_message_post(*, deal: Deal, actor: User, body: str, files: Sequence[CheckedUpload] = ()) -> DealMessage:
    """A message in the deal's thread, from one of the two projects or from Misty's staff, with `files`
    (checked by `offers.attachments.MESSAGE_ATTACHMENTS`); the other side is told (`offers.deal.message`),
    each person with the link to the deal page they open.

    The thread stays writable after the deal ended (docs/DECISIONS.md): the reward for the clients brought
    before the end is settled afterwards, and this thread is where the two projects talk about it.

    Staff are not told of every message (they read threads on demand): only those who wrote in this thread
    themselves, so a moderator who asked something learns the answer."""
    with discard_on_failure() as stored:
        return _deal_message_post(deal=deal, actor=actor, body=body, files=files, stored=stored)


@transaction.atomic
def _deal_message_post(*, deal: Deal, actor: User, body: str, files: Sequence[CheckedUpload], stored: list):
    body = (body or "").strip()
    if not body and not files:
        raise ApplicationError(_("Write a message."))
    if len(files) > MESSAGE_ATTACHMENTS.max_files:
        raise ApplicationError(
            _("A message may carry at most %(limit)d files.") % {"limit": MESSAGE_ATTACHMENTS.max_files}
        )
    deal = Deal.objects.select_related("lot", "owner", "partner").get(pk=deal.pk)
    side = _deal_side(actor, deal)
    if side is None:
        raise ApplicationError(_("Only the two projects' managers or Misty's staff write in a deal's thread."))
    author_project = {"owner": deal.owner, "partner": deal.partner}.get(side)
    message = DealMessage.objects.create(deal=deal, author=actor, author_project=author_project, body=body)
    added = _store_attachments(files, stored=stored, prefix=MESSAGE_PREFIX, actor=actor, message=message)
    DealThreadRead.objects.update_or_create(deal=deal, user=actor, defaults={"read_at": message.created_at})
    changes = {"message": ("", body[:200])}
    if added:
        changes[ATTACHMENTS_KEY] = ("", _names(added))
    auditlog.record(actor=actor, event=events.DEAL_MESSAGE_POSTED, obj=deal, project=deal.owner, changes=changes)
    context = {
        "deal_title": deal.lot.title,
        # Empty for staff: the templates say "Misty team" in the reader's language.
        "sender_name": author_project.name if author_project else "",
        "excerpt": body[:140] or ", ".join(_names(added))[:140],
    }
    owner_team = _representatives(deal.owner) if side != "owner" else []
    partner_team = _representatives(deal.partner) if side != "partner" else []
    _tell_deal_sides(
        deal,
        event=events.DEAL_MESSAGE.code,
        context=context,
        owner_team=[user for user in owner_team if user.pk != actor.pk],
        partner_team=[user for user in partner_team if user.pk != actor.pk],
        staff=[user for user in _staff_in_thread(deal) if user.pk != actor.pk],
    )
    return message


def _staff_in_thread(deal: Deal) -> list[User]:
    """Active moderators and administrators who wrote in the deal's thread."""
    wrote = DealMessage.objects.filter(deal=deal, author_project__isnull=True).values("author_id")
    return list(User.objects.filter(pk__in=wrote, role__in=[Role.MODERATOR, Role.ADMIN], status=UserStatus.ACTIVE))


@transaction.atomic
def deal_thread_mark_read(*, deal: Deal, user: User) -> None:
    """`user` has read the deal's thread up to now (opening the deal's page): the unread count of the deal
    list starts again from here. A reading marker, like a notification read — not journaled."""
    # One statement (INSERT … ON CONFLICT DO UPDATE), not update_or_create's read, lock and write: the deal's
    # page does this on every visit.
    DealThreadRead.objects.bulk_create(
        [DealThreadRead(deal=deal, user=user, read_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["deal", "user"],
        update_fields=["read_at"],
    )
