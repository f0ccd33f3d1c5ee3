"""The lot's status machine, declared once: which transition leads from which statuses to which, and who may
make it. Every transition is a service in `offers/services.py` that looks itself up here (`transition()`),
so a status change that is not in this table cannot happen.

    draft ─submit→ moderation ─approve→ published ⇄ paused (pause / resume)
                    │    │                 │          │
                    │    └─request_changes→ changes_requested ─submit→ moderation
                    └─reject→ rejected     └──close──→ closed ─archive→ archived
                                                        (owner, staff, or the system: quota, validity)

A published or paused lot whose terms are edited keeps its status: the edit is a pending revision that
moderation approves, sends back or rejects (`offers.services.lot_update`), never a transition here.
"""

from __future__ import annotations

from dataclasses import dataclass

from offers.models import LotStatus

OWNER = "owner"  # a manager of the lot's project
MODERATOR = "moderator"  # staff with MODERATE_LOTS
SYSTEM = "system"  # the portal itself: a quota reached, a validity over (actor None)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    by: frozenset[str]


def _t(name, sources, target, by) -> Transition:
    return Transition(name, frozenset(sources), target, frozenset(by))


S = LotStatus
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t("submit", {S.DRAFT, S.CHANGES_REQUESTED}, S.MODERATION, {OWNER}),
        _t("approve", {S.MODERATION}, S.PUBLISHED, {MODERATOR}),
        _t("request_changes", {S.MODERATION}, S.CHANGES_REQUESTED, {MODERATOR}),
        _t("reject", {S.MODERATION}, S.REJECTED, {MODERATOR}),
        _t("pause", {S.PUBLISHED}, S.PAUSED, {OWNER}),
        _t("resume", {S.PAUSED}, S.PUBLISHED, {OWNER}),
        _t("close", {S.PUBLISHED, S.PAUSED}, S.CLOSED, {OWNER, MODERATOR, SYSTEM}),
        # A rejected lot may be archived too, so that the owner's list is not cluttered by it for ever.
        _t("archive", {S.CLOSED, S.REJECTED}, S.ARCHIVED, {OWNER, MODERATOR}),
    )
}

# Statuses in which the owner edits the lot's row directly (partners never saw it).
EDITABLE_IN_PLACE = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
# Statuses in which an edit becomes a revision for moderation (partners see the live terms meanwhile).
REVISABLE = frozenset({S.PUBLISHED, S.PAUSED})


def available(*, status: str, side: str) -> list[str]:
    """The transitions `side` may make from `status` (the buttons a page shows)."""
    return [name for name, t in TRANSITIONS.items() if status in t.sources and side in t.by]
