"""Staff → Deals: every deal between the projects, and a deal's card with both projects, the terms as accepted
and the thread.

Every staff role reads (VIEW_ALL_PROJECTS); only MODERATE_LOTS (moderators, administrators) writes in a thread,
completes or cancels — the director, read-only in this portal, sees no form and gets a 403 on every POST, as on
the lots' card — and `offers.services` refuses again whatever the policy let through (a deal already ended).
The card is the cabinet's deal page (cabinets/rep/deals/detail.html) with the staff's own blocks.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.capabilities import Capability, has_capability
from cabinets.access import capability_required, found_or_deny
from cabinets.lists import numbered_list, sort_links
from cabinets.market_forms import DealMessageForm, ReasonForm
from cabinets.views.attachments import href_prefix
from cabinets.views.market import deal_visits_context, print_response, terms_for_display
from offers import codes, services
from offers.models import DealStatus
from offers.selectors import deal_messages, staff_deal_filterset, staff_deal_get, staff_deal_page_rows
from portal.exceptions import ApplicationError

# A column's first click: the newest and the latest ended first, codes, lots and projects A→Z.
FIRST_ORDER = {
    "created": "-created",
    "ended": "-ended",
    "code": "code",
    "lot": "lot",
    "owner": "owner",
    "partner": "partner",
    "status": "status",
}


@capability_required(Capability.VIEW_ALL_PROJECTS)
@require_safe
def deal_list(request):
    filterset = staff_deal_filterset(user=request.user, data=request.GET)
    listing = numbered_list(request, filterset)
    listing.page.object_list = staff_deal_page_rows(user=request.user, rows=listing.page.object_list)
    statuses = {value: str(label) for value, label in DealStatus.choices}
    for deal in listing.page:
        deal.code_display = codes.display(deal.code)
        deal.status_label = statuses.get(deal.status, deal.status)
    return render(
        request,
        "cabinets/staff/deals/list.html",
        {
            "list": listing,
            "sort": sort_links(request, filterset.chosen_order, FIRST_ORDER),
            "deal_prefix": reverse("staff:deals"),  # + "<code>/": no reverse() per row
            "lot_prefix": reverse("staff:lots"),  # + "<pk>/"
        },
    )


def _deal(request, code: str):
    return found_or_deny(request, staff_deal_get(user=request.user, code=code), reason="deal not found")


def _card(request, deal, *, message_form=None, cancel_form=None, status=200):
    can_write = has_capability(request.user, Capability.MODERATE_LOTS)
    can_end = can_write and deal.status == DealStatus.ACTIVE
    return render(
        request,
        "cabinets/staff/deals/detail.html",
        {
            "deal": deal,
            "code_display": codes.display(deal.code),
            "terms": terms_for_display(deal.terms),
            "thread": deal_messages(deal=deal),
            "message_form": (message_form or DealMessageForm()) if can_write else None,
            "message_url": reverse("staff:deal_message", kwargs={"code": deal.code}),
            # Staff open any file through one URL; the director reads the names (no moderation capability).
            "files_prefix": href_prefix("staff:attachment", key="pk") if can_write else "",
            "can_end": can_end,
            "cancel_form": (cancel_form or ReasonForm(prefix="cancel", label=_("Why you cancel the deal")))
            if can_end
            else None,
            "logo_prefix": reverse("project_logo", kwargs={"slug": "x"}).removesuffix("x/logo/"),
            "print_prefix": reverse("staff:deal_print", kwargs={"code": deal.code, "kind": "x"}).removesuffix("x/"),
            **deal_visits_context(deal),
        },
        status=status,
    )


@capability_required(Capability.VIEW_ALL_PROJECTS)
@require_safe
def deal_detail(request, code: str):
    """Any deal (the code in any case, with or without its dash): both projects, the terms, the thread."""
    return _card(request, _deal(request, code))


def _back(deal):
    return redirect("staff:deal_detail", code=deal.code)


@capability_required(Capability.VIEW_ALL_PROJECTS)
@require_safe
def deal_print(request, code: str, kind: str):
    """A deal's referral cards or poster, as its partner prints them (staff help projects print)."""
    return print_response(_deal(request, code), kind, request.LANGUAGE_CODE)


@require_POST
@capability_required(Capability.VIEW_ALL_PROJECTS, Capability.MODERATE_LOTS)
def deal_message(request, code: str):
    """Staff write in the thread as the Misty team; both projects are told."""
    deal = _deal(request, code)
    form = DealMessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.deal_message_post(
                deal=deal, actor=request.user, body=form.cleaned_data["body"], files=form.cleaned_data["files"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your message is sent."))
            return _back(deal)
    return _card(request, deal, message_form=form)


@require_POST
@capability_required(Capability.VIEW_ALL_PROJECTS, Capability.MODERATE_LOTS)
def deal_complete(request, code: str):
    deal = _deal(request, code)
    try:
        services.deal_complete(deal=deal, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The deal is completed."))
    return _back(deal)


@require_POST
@capability_required(Capability.VIEW_ALL_PROJECTS, Capability.MODERATE_LOTS)
def deal_cancel(request, code: str):
    """Call an active deal off with a reason both projects are told (the form is on the card)."""
    deal = _deal(request, code)
    form = ReasonForm(request.POST, prefix="cancel", label=_("Why you cancel the deal"))
    if form.is_valid():
        try:
            services.deal_cancel(deal=deal, actor=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return _back(deal)
        messages.success(request, _("The deal is cancelled; both projects are told why."))
        return _back(deal)
    return _card(request, deal, cancel_form=form)
