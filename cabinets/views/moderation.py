"""Staff → Lots: the pool of every lot, the moderation queue (oldest first), a lot's card with what changed
since the last review, and the moderators' decisions (approve, request changes, reject, close).

Every staff role reads (VIEW_ALL_PROJECTS); only MODERATE_LOTS (moderators, administrators) decides — the
director sees no buttons and gets a 403 on every POST — and `offers.services` refuses again whatever the
policy let through (a lot no longer waiting, a closed one)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.capabilities import Capability, has_capability
from cabinets.access import capability_required, found_or_deny
from cabinets.lists import numbered_list, sort_links
from cabinets.moderation_forms import CloseForm, RejectForm, RequestChangesForm
from cabinets.templatetags.staff_tags import remember_lots_waiting
from cabinets.views.attachments import href_prefix
from offers import services
from offers.attachments import snapshot_ids
from offers.diff import compare_attachments, compare_terms, terms_display
from offers.models import CloseReason, LotStatus, RevisionStatus
from offers.moderation_filters import MINE, QUEUE_LOT_STATUSES
from offers.selectors import (
    lot_attachments,
    moderation_lot_filterset,
    moderation_lot_get,
    moderation_lot_history,
    moderation_lot_page_rows,
    moderation_lot_revisions,
    moderation_queue_filterset,
)
from offers.transitions import MODERATOR, available
from portal.exceptions import ApplicationError
from projects.models import Category

# A column's first click: titles and projects A→Z, the newest and the highest reward first.
FIRST_ORDER = {"created": "-created", "title": "title", "project": "project", "status": "status", "reward": "-reward"}


def _labels(choices) -> dict:
    """Choice labels translated once per page, not once per row."""
    return {code: str(label) for code, label in choices}


@capability_required(Capability.VIEW_ALL_PROJECTS)
@require_safe
def lot_pool(request):
    filterset = moderation_lot_filterset(user=request.user, data=request.GET)
    listing = numbered_list(request, filterset)
    listing.page.object_list = moderation_lot_page_rows(user=request.user, rows=listing.page.object_list)
    statuses, categories = _labels(LotStatus.choices), _labels(Category.choices)
    for lot in listing.page:
        lot.status_label = statuses.get(lot.status, lot.status)
        lot.category_label = categories.get(lot.project.category, lot.project.category)
    return render(
        request,
        "cabinets/staff/lots/list.html",
        {
            "list": listing,
            "sort": sort_links(request, filterset.chosen_order, FIRST_ORDER),
            "detail_prefix": reverse("staff:lots"),  # + "<pk>/": no reverse() per row
        },
    )


@capability_required(Capability.VIEW_ALL_PROJECTS)
@require_safe
def lot_queue(request):
    filterset = moderation_queue_filterset(user=request.user, data=request.GET)
    listing = numbered_list(request, filterset)
    if filterset.is_valid() and not filterset.is_filtered and filterset.form.cleaned_data.get("scope") != MINE:
        remember_lots_waiting(request, listing.page.paginator.count)  # the whole queue: the menu's count too
    return render(
        request,
        "cabinets/staff/lots/queue.html",
        {"list": listing, "detail_prefix": reverse("staff:lots")},
    )


def _card(request, pk, *, changes_form=None, reject_form=None, close_form=None, status=200):
    lot = found_or_deny(request, moderation_lot_get(user=request.user, pk=pk), reason="lot not found")
    revisions = moderation_lot_revisions(lot=lot)
    pending = next((r for r in revisions if r.status == RevisionStatus.PENDING), None)
    if pending is not None and lot.status not in QUEUE_LOT_STATUSES:
        pending = None  # left behind by a lot closed meanwhile: nobody reviews it any more
    last_reviewed = next((r for r in revisions if r.reviewed_at is not None), None)
    can_moderate = has_capability(request.user, Capability.MODERATE_LOTS)
    can_review = can_moderate and pending is not None
    can_close = can_moderate and "close" in available(status=lot.status, side=MODERATOR)
    changes = compare_terms(last_reviewed.terms if last_reviewed else None, pending.terms) if pending else []
    files = lot_attachments(lot=lot)
    live_files = [a for a in files.values() if a.live]
    pending_files = []
    if pending is not None:
        pending_ids = snapshot_ids(pending.terms)
        pending_ids = [a.pk for a in live_files] if pending_ids is None else pending_ids
        pending_files = [files[pk] for pk in pending_ids if pk in files]
        names = {pk: a.display_name for pk, a in files.items()}
        before_ids = snapshot_ids(last_reviewed.terms) if last_reviewed else None
        if pending_ids or before_ids:  # a lot that never had a file gets no row for files
            changes.append(compare_attachments(before_ids, pending_ids, names, is_new=last_reviewed is None))
    return render(
        request,
        "cabinets/staff/lots/detail.html",
        {
            "lot": lot,
            "terms": terms_display(lot.terms()),
            "pending": pending,
            "last_reviewed": last_reviewed,
            "changed": [c for c in changes if c.changed],
            "unchanged": [c for c in changes if not c.changed],
            "earlier": [r for r in revisions if r is not pending],
            "history": moderation_lot_history(lot=lot),
            "live_files": live_files,
            "pending_files": pending_files,
            # Files open for staff who moderate (`staff:attachment`); others read their names only.
            "files_prefix": href_prefix("staff:attachment", key="pk") if can_moderate else "",
            "can_review": can_review,
            "can_close": can_close,
            "changes_form": (changes_form or RequestChangesForm()) if can_review else None,
            "reject_form": (reject_form or RejectForm()) if can_review else None,
            "close_form": (close_form or CloseForm()) if can_close else None,
        },
        status=status,
    )


@capability_required(Capability.VIEW_ALL_PROJECTS)
@require_safe
def lot_detail(request, pk: int):
    return _card(request, pk)


def _lot(request, pk):
    return found_or_deny(request, moderation_lot_get(user=request.user, pk=pk), reason="lot not found")


@require_POST
@capability_required(Capability.VIEW_ALL_PROJECTS, Capability.MODERATE_LOTS)
def lot_approve(request, pk: int):
    lot = _lot(request, pk)
    try:
        services.lot_approve(lot=lot, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Approved: partners now see these terms."))
    return redirect("staff:lot_detail", pk=lot.pk)


@require_POST
@capability_required(Capability.VIEW_ALL_PROJECTS, Capability.MODERATE_LOTS)
def lot_request_changes(request, pk: int):
    lot = _lot(request, pk)
    form = RequestChangesForm(request.POST)
    if form.is_valid():
        try:
            services.lot_request_changes(lot=lot, actor=request.user, comment=form.cleaned_data["comment"])
        except ApplicationError as exc:
            messages.error(request, exc.message)  # the form keeps what was typed
        else:
            messages.success(request, _("Sent back to the owner with your comment."))
            return redirect("staff:lot_detail", pk=lot.pk)
    return _card(request, pk, changes_form=form)


@require_POST
@capability_required(Capability.VIEW_ALL_PROJECTS, Capability.MODERATE_LOTS)
def lot_reject(request, pk: int):
    lot = _lot(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.lot_reject(lot=lot, actor=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Rejected: the owner is told the reason."))
            return redirect("staff:lot_detail", pk=lot.pk)
    return _card(request, pk, reject_form=form)


@require_POST
@capability_required(Capability.VIEW_ALL_PROJECTS, Capability.MODERATE_LOTS)
def lot_close(request, pk: int):
    lot = _lot(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.lot_close(
                lot=lot, actor=request.user, reason=CloseReason.STAFF, comment=form.cleaned_data["comment"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The lot is closed; its active deals are completed."))
            return redirect("staff:lot_detail", pk=lot.pk)
    return _card(request, pk, close_form=form)
