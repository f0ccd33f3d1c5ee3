"""Representative → Lots: the project's own lots (a list, a card with its history), the lot form with its live
budget calculator, and the owner's transitions (submit, pause, resume, close, archive).

Reads are `offers.selectors` scoped to `request.project`, so another project's lot id is a 404; writes are
`offers.services`, whose refusals (`ApplicationError`) become a form error or a message.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.capabilities import Capability
from cabinets.access import capability_required, deny, found_or_deny
from cabinets.lists import numbered_list
from cabinets.lot_forms import LotBudgetForm, LotCloseForm, LotForm
from cabinets.views.attachments import href_prefix
from offers import services
from offers.attachments import snapshot_ids, working_set
from offers.models import TERM_FIELDS, Lot, LotStatus, RevisionStatus
from offers.selectors import (
    lot_attachments,
    own_lot_filterset,
    own_lot_get,
    own_lot_history,
    own_lot_latest_revision,
    project_has_lots,
)
from offers.transitions import EDITABLE_IN_PLACE, OWNER, REVISABLE, TRANSITIONS, available
from portal.exceptions import ApplicationError

# The colour of each status's badge (Bootstrap classes), on the list and on the card.
STATUS_BADGES = {
    LotStatus.DRAFT: "text-bg-secondary",
    LotStatus.MODERATION: "text-bg-warning",
    LotStatus.CHANGES_REQUESTED: "text-bg-danger",
    LotStatus.REJECTED: "text-bg-dark",
    LotStatus.PUBLISHED: "text-bg-success",
    LotStatus.PAUSED: "text-bg-info",
    LotStatus.CLOSED: "text-bg-light border",
    LotStatus.ARCHIVED: "text-bg-light border",
}

# The owner's transitions, each a service: the only action names `lot_action` accepts.
OWNER_ACTIONS = {
    "submit": services.lot_submit,
    "pause": services.lot_pause,
    "resume": services.lot_resume,
    "close": services.lot_close,
    "archive": services.lot_archive,
}
assert set(OWNER_ACTIONS) == {name for name, t in TRANSITIONS.items() if OWNER in t.by}, "offers/transitions.py"

ACTION_LABELS = {
    "submit": gettext_lazy("Submit for moderation"),
    "pause": gettext_lazy("Pause"),
    "resume": gettext_lazy("Resume"),
    "close": gettext_lazy("Close the lot"),
    "archive": gettext_lazy("Archive"),
}
ACTION_DONE = {
    "submit": gettext_lazy("The lot is sent to moderation. You will be notified of the moderator's decision."),
    "pause": gettext_lazy("The lot is paused: it takes no new responses until you resume it."),
    "resume": gettext_lazy("The lot is published again."),
    "close": gettext_lazy("The lot is closed, and its active deals are completed."),
    "archive": gettext_lazy("The lot is archived."),
}


def _badge(lot: Lot, labels: dict) -> None:
    lot.status_label = labels.get(lot.status, lot.status)
    lot.status_badge = STATUS_BADGES.get(lot.status, "text-bg-secondary")


def _status_labels() -> dict:
    return {value: str(label) for value, label in LotStatus.choices}  # get_status_display per row costs more


def _lots_url(request) -> str:
    return reverse("cabinet:lots", kwargs={"project_slug": request.project.slug})


def _own_lot(request, pk: int) -> Lot:
    return found_or_deny(request, own_lot_get(project=request.project, pk=pk), reason="lot not found")


# --- the list ---------------------------------------------------------------------------------------------


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def lot_list(request):
    filterset = own_lot_filterset(project=request.project, data=request.GET)
    listing = numbered_list(request, filterset)
    labels = _status_labels()
    for lot in listing.page:
        _badge(lot, labels)
    # Nothing at all (not even archived lots): the page says what a lot is and leads to the first one.
    first_lot = not listing.page.paginator.count and not listing.is_filtered
    first_lot = first_lot and not project_has_lots(project=request.project)
    return render(
        request,
        "cabinets/rep/lots/list.html",
        {
            "list": listing,
            "project": request.project,
            "first_lot": first_lot,
            "detail_prefix": _lots_url(request),  # + "<pk>/": no reverse() per row
            "detail_query": f"?{listing.filters_query}" if listing.filters_query else "",
        },
    )


# --- the form and its calculator ------------------------------------------------------------------------


def _budget(data):
    return LotBudgetForm(data).budget()


def _files_prefix(request, lot: Lot) -> str:
    return href_prefix("cabinet:lot_attachment", project_slug=request.project.slug, pk=lot.pk)


def _form_page(request, *, form, lot=None, revision=None, budget_data=None):
    return render(
        request,
        "cabinets/rep/lots/form.html",
        {
            "project": request.project,
            "form": form,
            "lot": lot,
            "revision": revision,
            "is_live": lot is not None and lot.status in REVISABLE,
            "budget": _budget(budget_data if budget_data is not None else (form.data if form.is_bound else {})),
            "commission_percent": settings.PORTAL_COMMISSION_PERCENT,
            "files_prefix": _files_prefix(request, lot) if lot is not None else "",
        },
    )


def _budget_url(request) -> str:
    return reverse("cabinet:lot_budget", kwargs={"project_slug": request.project.slug})


def _wants_submit(request) -> bool:
    return request.POST.get("then") == "submit"


@capability_required(Capability.USE_PROJECT_CABINET, acting=True)
def lot_create(request):
    """A manager drafts a lot, and may send it to moderation at once ("Save and submit")."""
    form = LotForm(
        request.POST or None,
        request.FILES or None,
        initial={"valid_from": timezone.localdate().isoformat()},
        budget_url=_budget_url(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            lot = services.lot_create(
                project=request.project, actor=request.user, data=form.terms(), files=form.new_files()
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            _save_then_submit(request, lot, submit=_wants_submit(request))
            return redirect("cabinet:lot_detail", project_slug=request.project.slug, pk=lot.pk)
    return _form_page(request, form=form)


def _save_then_submit(request, lot: Lot, *, submit: bool) -> None:
    if not submit:
        messages.success(request, _("The draft is saved. Nobody but your project sees it yet."))
        return
    try:
        services.lot_submit(lot=lot, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, _("The lot is saved, but not sent to moderation: %(reason)s") % {"reason": exc.message})
    else:
        messages.success(request, ACTION_DONE["submit"])


@capability_required(Capability.USE_PROJECT_CABINET, acting=True)
def lot_edit(request, pk: int):
    """Edit the terms. A draft (or a lot sent back) is edited in place; a published or paused lot keeps its
    live terms and the edit becomes new terms for moderation."""
    lot = _own_lot(request, pk)
    if lot.status not in EDITABLE_IN_PLACE | REVISABLE:
        messages.error(
            request, _("A lot that is “%(status)s” cannot be edited.") % {"status": lot.get_status_display()}
        )
        return redirect("cabinet:lot_detail", project_slug=request.project.slug, pk=lot.pk)
    revision = own_lot_latest_revision(lot=lot) if lot.status != LotStatus.DRAFT else None
    if revision is not None and revision.status == RevisionStatus.APPROVED:
        revision = None
    # A live lot's form starts from what was last proposed (pending, or sent back), else from its live terms.
    proposed = lot.status in REVISABLE and revision is not None and revision.status != RevisionStatus.REJECTED
    initial = revision.terms if proposed else lot.terms()
    form = LotForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        budget_url=_budget_url(request),
        attachments=working_set(lot, revision, lot_attachments(lot=lot)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.lot_update(
                lot=lot, actor=request.user, data=form.terms(), files=form.new_files(), remove=form.removed()
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if lot.status in REVISABLE:
                messages.success(
                    request,
                    _(
                        "The new terms are sent to moderation. Partners see the current terms until the "
                        "moderator approves the new ones."
                    ),
                )
            else:
                _save_then_submit(request, lot, submit=_wants_submit(request))
            return redirect("cabinet:lot_detail", project_slug=request.project.slug, pk=lot.pk)
    return _form_page(request, form=form, lot=lot, revision=revision, budget_data=None if form.is_bound else initial)


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def lot_budget(request):
    """The calculator's panel for the figures typed so far (htmx, as the lot form's fields change)."""
    return render(
        request,
        "cabinets/rep/lots/includes/budget.html",
        {"budget": _budget(request.GET), "commission_percent": settings.PORTAL_COMMISSION_PERCENT},
    )


# --- the card and its actions ----------------------------------------------------------------------------


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def lot_detail(request, pk: int):
    lot = _own_lot(request, pk)
    _badge(lot, _status_labels())
    revision = own_lot_latest_revision(lot=lot) if lot.status != LotStatus.DRAFT else None
    # New terms of a live lot, waiting or sent back: shown beside the live ones.
    proposed = (
        revision
        if revision is not None
        and lot.status in REVISABLE
        and revision.status in (RevisionStatus.PENDING, RevisionStatus.CHANGES_REQUESTED)
        else None
    )
    # What moderation said last, if the last word was not an approval.
    feedback = (
        revision
        if revision is not None
        and revision.comment
        and revision.status in (RevisionStatus.CHANGES_REQUESTED, RevisionStatus.REJECTED)
        else None
    )
    actions = available(status=lot.status, side=OWNER) if request.can_act else []
    files = lot_attachments(lot=lot)
    live_files = [a for a in files.values() if a.live]
    shown = _proposed_terms(lot, proposed) if proposed else None
    if shown is not None:
        shown.files = _proposed_files(proposed, files, live_files)
        shown.removed_files = [a for a in live_files if a not in shown.files]
        if shown.removed_files or any(a.is_new for a in shown.files):
            shown.changed.add("attachments")
    return render(
        request,
        "cabinets/rep/lots/detail.html",
        {
            "project": request.project,
            "lot": lot,
            "proposed": shown,
            "live_files": live_files,
            "files_prefix": _files_prefix(request, lot),
            "revision": proposed,
            "feedback": feedback,
            "history": own_lot_history(lot=lot),
            "status_labels": _status_labels(),
            "actions": [(name, ACTION_LABELS[name]) for name in actions],
            "can_edit": request.can_act and lot.status in EDITABLE_IN_PLACE | REVISABLE,
            "lots_url": _lots_url(request),
        },
    )


def _proposed_terms(lot: Lot, revision) -> Lot:
    """The revision's terms as an unsaved Lot, so the card shows them with the same labels and formats."""
    shown, live = Lot(project=lot.project, status=lot.status), lot.terms()
    for field in TERM_FIELDS:
        setattr(shown, field, Lot._meta.get_field(field).to_python(revision.terms.get(field)))
    shown.changed = {field for field in TERM_FIELDS if revision.terms.get(field) != live[field]}
    return shown


def _proposed_files(revision, files: dict, live_files: list) -> list:
    """The files a revision proposes (a snapshot naming none keeps the live ones), each marked `is_new` when
    it is not live."""
    ids = snapshot_ids(revision.terms)
    proposed = live_files if ids is None else [files[pk] for pk in ids if pk in files]
    for attachment in proposed:
        attachment.is_new = not attachment.live
    return proposed


@capability_required(Capability.USE_PROJECT_CABINET, acting=True)
@require_http_methods(["GET", "HEAD", "POST"])
def lot_action(request, pk: int, action: str):
    """One owner transition of the table, by POST. Closing asks first (GET: a confirmation with a comment)."""
    if action not in OWNER_ACTIONS:
        deny(request, status=404, reason="no such lot action")
    lot = _own_lot(request, pk)
    close_form = LotCloseForm(request.POST if request.method == "POST" else None) if action == "close" else None
    if request.method != "POST":
        if close_form is None:
            return HttpResponseNotAllowed(["POST"])
        return _close_page(request, lot, close_form)
    extra = {}
    if close_form is not None:
        if not close_form.is_valid():
            return _close_page(request, lot, close_form)
        extra["comment"] = close_form.cleaned_data["comment"].strip()
    try:
        OWNER_ACTIONS[action](lot=lot, actor=request.user, **extra)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ACTION_DONE[action])
    return redirect("cabinet:lot_detail", project_slug=request.project.slug, pk=lot.pk)


def _close_page(request, lot: Lot, form: LotCloseForm):
    return render(
        request,
        "cabinets/rep/lots/close.html",
        {"project": request.project, "lot": lot, "form": form},
    )
