"""Disputes (SPEC §7.5): either side of a deal says a confirmed visit should not count; Misty staff who record
visits decide. Upholding reverses the visit through `visits.services.visit_reverse` (compensating ledger entries,
roll-ups decreased, nothing deleted); rejecting leaves it counted. One open dispute per visit (a partial unique
constraint decides, not a check before the insert). Both sides' representatives and staff are told.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import auditlog
from accounts.capabilities import Capability, has_capability
from accounts.models import Role, User, UserStatus
from notifications.services import notify
from offers import codes
from offers.services import is_manager
from portal.exceptions import ApplicationError
from projects.models import Project
from visits import events
from visits.models import Dispute, DisputeStatus, Visit, VisitStatus
from visits.services import visit_reverse

MAX_TEXT = 2000


def _context(dispute: Dispute) -> dict:
    visit = dispute.visit
    return {
        "code": codes.display(visit.deal.code),
        "lot_title": visit.lot.title,
        "owner_name": visit.owner.name,
        "partner_name": visit.partner.name,
        "disputed_by": dispute.opened_by_project.name,
        "visited_at": visit.visited_at,
        "reason": dispute.reason,
    }


def _representatives(project: Project) -> list[User]:
    return list(
        User.objects.filter(memberships__project=project, role=Role.REPRESENTATIVE).exclude(status=UserStatus.BLOCKED)
    )


def _staff() -> list[User]:
    return list(User.objects.filter(role__in=[Role.MODERATOR, Role.ADMIN], status=UserStatus.ACTIVE))


def _tell_sides(dispute: Dispute, *, event: str, context: dict) -> None:
    told: set[int] = set()
    for project in (dispute.visit.owner, dispute.visit.partner):
        team = [user for user in _representatives(project) if user.pk not in told]
        told.update(user.pk for user in team)
        notify(recipients=team, event=event, context=context, link=f"/cabinet/{project.slug}/visits/")


def _clean_text(text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ApplicationError(_("Say why: the other side and Misty staff read it."))
    if len(text) > MAX_TEXT:
        raise ApplicationError(_("At most %(length)d characters.") % {"length": MAX_TEXT})
    return text


@transaction.atomic
def dispute_open(*, visit: Visit, project: Project, actor: User, reason: str) -> Dispute:
    """`project` (the owner or the partner of the visit's deal) disputes a confirmed visit, through its manager."""
    reason = _clean_text(reason, required=True)
    visit = (
        Visit.objects.select_for_update(of=("self",)).select_related("deal", "lot", "owner", "partner").get(pk=visit.pk)
    )
    if project.pk not in (visit.owner_id, visit.partner_id):
        raise ApplicationError(_("Only a side of the deal can dispute its visits."))
    if not (has_capability(actor, Capability.USE_PROJECT_CABINET) and is_manager(actor, project)):
        raise ApplicationError(_("Only a manager of the project can dispute a visit."))
    if visit.status != VisitStatus.CONFIRMED:
        raise ApplicationError(_("This visit is already reversed."))
    dispute = Dispute(visit=visit, opened_by_project=project, opened_by=actor, reason=reason)
    try:
        with transaction.atomic():
            dispute.save(force_insert=True)
    except IntegrityError:
        raise ApplicationError(_("This visit is already disputed: Misty staff are looking at it.")) from None
    auditlog.record(
        actor=actor,
        event=events.DISPUTE_OPENED_AUDIT,
        obj=dispute,
        project=project,
        object_text=f"{codes.display(visit.deal.code)} · {visit.lot.title}"[:255],
        changes={"visit": visit.pk, "reason": reason},
    )
    context = _context(dispute)
    others = visit.partner if project.pk == visit.owner_id else visit.owner
    notify(
        recipients=_representatives(others),
        event=events.DISPUTE_OPENED.code,
        context=context,
        link=f"/cabinet/{others.slug}/visits/",
    )
    notify(recipients=_staff(), event=events.DISPUTE_OPENED.code, context=context, link=f"/staff/visits/{visit.pk}/")
    return dispute


@transaction.atomic
def dispute_resolve(*, dispute: Dispute, actor: User, uphold: bool, resolution: str = "") -> Dispute:
    """Staff decide: `uphold` reverses the visit (compensating entries); otherwise it stays counted."""
    if not has_capability(actor, Capability.RECORD_VISITS):
        raise ApplicationError(_("Only Misty staff who record visits can resolve a dispute."))
    resolution = _clean_text(resolution, required=False)
    dispute = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("visit__deal", "visit__lot", "visit__owner", "visit__partner", "opened_by_project")
        .get(pk=dispute.pk)
    )
    if dispute.status != DisputeStatus.OPEN:
        raise ApplicationError(_("This dispute is already resolved."))
    if uphold:
        visit_reverse(visit=dispute.visit, actor=actor, reason=dispute.reason)
    old = dispute.status
    dispute.status = DisputeStatus.UPHELD if uphold else DisputeStatus.REJECTED
    dispute.resolved_by, dispute.resolved_at, dispute.resolution = actor, timezone.now(), resolution
    dispute.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])
    auditlog.record(
        actor=actor,
        event=events.DISPUTE_UPHELD_AUDIT if uphold else events.DISPUTE_REJECTED_AUDIT,
        obj=dispute,
        project=dispute.visit.owner,
        changes={"status": (old, dispute.status), "resolution": resolution},
    )
    _tell_sides(
        dispute,
        event=events.DISPUTE_RESOLVED.code,
        context={**_context(dispute), "upheld": uphold, "resolution": resolution},
    )
    return dispute
