"""Representative → the marketplace, responses and deals (SPEC §3, §7.1: one cabinet, both sides).

The marketplace lists the published lots of the *other* projects; a manager responds to one from its page.
The responses page shows both what came to the project's lots (accept, reject with a reason) and what the
project sent (withdraw). A deal — an accepted response — has a page for each side: its terms as accepted,
its thread, complete and cancel. Every write is a service of `offers/services.py`; every read a selector of
`offers/selectors.py` scoped to the cabinet's project, so another project's response or deal is a 404.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.capabilities import Capability
from cabinets.access import capability_required, found_or_deny
from cabinets.lists import numbered_list
from cabinets.market_forms import DealMessageForm, ReasonForm, ResponseForm
from cabinets.views.attachments import href_prefix
from offers import cards, codes, services
from offers.models import BenefitType, DealStatus, Gender, LotStatus, ResponseStatus
from offers.selectors import (
    SIDE_OWNER,
    SIDE_PARTNER,
    deal_get,
    deal_messages,
    deals_filterset,
    lot_deals_of,
    lot_live_attachments,
    lot_pending_response,
    market_filterset,
    market_lot_get,
    response_get,
    responses_filterset,
)
from portal.exceptions import ApplicationError
from projects.models import Category
from visits import selectors as visit_selectors

MARKET_PER_PAGE = 24  # a full last row of the grid at 2 and 3 cards a row


def _prefix(name: str, request) -> str:
    """A URL reversed once, to which a row appends its key: no reverse() per row."""
    return reverse(name, kwargs={"project_slug": request.project.slug})


def _logo_prefix() -> str:
    return reverse("project_logo", kwargs={"slug": "x"}).removesuffix("x/logo/")


def terms_for_display(terms: dict) -> SimpleNamespace:
    """A lot's terms (`Lot.terms()` or a deal's snapshot: JSON values) typed for a template, with labels."""
    values = dict(terms)
    for field in ("valid_from", "valid_until"):
        if isinstance(values.get(field), str):
            values[field] = datetime.date.fromisoformat(values[field])
    for field in ("benefit_value", "reward"):
        try:
            values[field] = Decimal(str(values.get(field)))
        except (InvalidOperation, TypeError):
            values[field] = None
    values["benefit_label"] = BenefitType(values["benefit_type"]).label if values.get("benefit_type") else ""
    values["gender_label"] = Gender(values["gender"]).label if values.get("gender") in Gender.values else ""
    return SimpleNamespace(**values)


# --- the marketplace -------------------------------------------------------------------------------------


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def market(request):
    """Published lots of the other projects, searchable and filterable, each with its owner's card and what
    this project already did about it."""
    filterset = market_filterset(project=request.project, data=request.GET)
    listing = numbered_list(request, filterset, per_page=MARKET_PER_PAGE)
    categories = {value: str(label) for value, label in Category.choices}
    benefits = {value: str(label) for value, label in BenefitType.choices}
    for lot in listing.page:
        lot.category_label = categories.get(lot.project.category, lot.project.category)
        lot.benefit_label = benefits.get(lot.benefit_type, lot.benefit_type)
        lot.deal_code_display = codes.display(lot.my_deal_code) if lot.my_deal_code else ""
    return render(
        request,
        "cabinets/rep/market/list.html",
        {
            "list": listing,
            "project": request.project,
            "lot_prefix": _prefix("cabinet:market", request),  # + "<pk>/"
            "deal_prefix": _prefix("cabinet:deals", request),  # + "<code>/"
            "logo_prefix": _logo_prefix(),
            "lot_query": f"?{listing.filters_query}" if listing.filters_query else "",
        },
    )


def _market_lot_page(request, lot, *, form=None, status=200):
    project = request.project
    pending = lot_pending_response(lot=lot, project=project)
    deals = lot_deals_of(lot=lot, project=project)
    for deal in deals:
        deal.code_display = codes.display(deal.code)
    has_active_deal = any(deal.status == DealStatus.ACTIVE for deal in deals)
    # One deal at a time is enough: while one is active the page links to it instead of offering another.
    may_respond = lot.status == LotStatus.PUBLISHED and request.can_act and pending is None and not has_active_deal
    if form is None and may_respond:
        form = ResponseForm(lot=lot)
    return render(
        request,
        "cabinets/rep/market/detail.html",
        {
            "lot": lot,
            "terms": terms_for_display(lot.terms()),
            "files": lot_live_attachments(lot=lot),
            "files_prefix": href_prefix("cabinet:market_attachment", project_slug=project.slug, pk=lot.pk),
            "project": project,
            "pending": pending,
            "deals": deals,
            "has_active_deal": has_active_deal,
            "form": form,
            "may_respond": may_respond,
            "back_query": request.GET.urlencode(),
            "logo_prefix": _logo_prefix(),
            "deal_prefix": _prefix("cabinet:deals", request),  # + "<code>/"
        },
        status=status,
    )


@capability_required(Capability.USE_PROJECT_CABINET)
@require_http_methods(["GET", "HEAD", "POST"])
def market_lot(request, pk: int):
    """A published lot of another project: its live terms, its owner, and for a manager the response form
    (a POST here responds; a viewer's POST is refused by the policy)."""
    lot = found_or_deny(request, market_lot_get(project=request.project, pk=pk), reason="lot not found")
    if request.method != "POST":
        return _market_lot_page(request, lot)
    form = ResponseForm(request.POST, lot=lot)
    if form.is_valid():
        try:
            services.response_submit(lot=lot, project=request.project, actor=request.user, data=form.service_data())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your response is sent: the lot's owner will accept or reject it."))
            return redirect("cabinet:market_lot", project_slug=request.project.slug, pk=lot.pk)
    return _market_lot_page(request, lot, form=form)


# --- responses -------------------------------------------------------------------------------------------


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def responses(request):
    """Responses to this project's lots (to accept or reject) and from this project (to follow), pending first."""
    listing = numbered_list(request, responses_filterset(project=request.project, data=request.GET))
    for row in listing.page:
        deal = getattr(row, "deal", None) if row.status == ResponseStatus.ACCEPTED else None
        row.deal_code = deal.code if deal else ""
        row.deal_code_display = codes.display(deal.code) if deal else ""
    return render(
        request,
        "cabinets/rep/market/responses.html",
        {
            "list": listing,
            "project": request.project,
            "response_prefix": _prefix("cabinet:responses", request),  # + "<pk>/accept/" etc.
            "lot_prefix": _prefix("cabinet:market", request),  # + "<pk>/": the partner's view of a lot
            "own_lot_prefix": _prefix("cabinet:lots", request),  # + "<pk>/": the owner's card
            "deal_prefix": _prefix("cabinet:deals", request),
            "SIDE_OWNER": SIDE_OWNER,
        },
    )


def _response_or_deny(request, pk: int, side: str):
    return found_or_deny(request, response_get(project=request.project, pk=pk, side=side), reason="response not found")


def _back_to_responses(request):
    return redirect("cabinet:responses", project_slug=request.project.slug)


@require_POST
@capability_required(Capability.USE_PROJECT_CABINET)
def response_withdraw(request, pk: int):
    """The partner takes back its pending response (from the lot's page or the responses list)."""
    response = _response_or_deny(request, pk, SIDE_PARTNER)
    try:
        services.response_withdraw(response=response, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your response to “%(lot)s” is withdrawn.") % {"lot": response.lot.title})
    if request.POST.get("next") == "market" and response.lot.status == "published":
        return redirect("cabinet:market_lot", project_slug=request.project.slug, pk=response.lot_id)
    return _back_to_responses(request)


@require_POST
@capability_required(Capability.USE_PROJECT_CABINET)
def response_accept(request, pk: int):
    """The lot's owner accepts a response: a deal starts on the lot's approved terms."""
    response = _response_or_deny(request, pk, SIDE_OWNER)
    try:
        deal = services.response_accept(response=response, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back_to_responses(request)
    messages.success(
        request,
        _("The response of %(partner)s is accepted: deal %(code)s has started.")
        % {"partner": response.project.name, "code": codes.display(deal.code)},
    )
    return redirect("cabinet:deal_detail", project_slug=request.project.slug, code=deal.code)


@capability_required(Capability.USE_PROJECT_CABINET, acting=True)
@require_http_methods(["GET", "HEAD", "POST"])
def response_reject(request, pk: int):
    """The lot's owner rejects a response with a reason the partner is told (GET: the response and the form)."""
    response = _response_or_deny(request, pk, SIDE_OWNER)
    form = ReasonForm(request.POST or None, label=_("Why you reject the response"))
    if request.method == "POST" and form.is_valid():
        try:
            services.response_reject(response=response, actor=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("The response of %(partner)s is rejected.") % {"partner": response.project.name}
            )
            return _back_to_responses(request)
    return render(
        request,
        "cabinets/rep/market/response_reject.html",
        {"response": response, "form": form, "project": request.project},
    )


# --- deals -----------------------------------------------------------------------------------------------


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def deals(request):
    """Deals where the project owns the lot or is the partner, with the unread messages of each thread."""
    listing = numbered_list(request, deals_filterset(project=request.project, user=request.user, data=request.GET))
    for deal in listing.page:
        deal.code_display = codes.display(deal.code)
        deal.counterpart = deal.partner if deal.side == SIDE_OWNER else deal.owner
    return render(
        request,
        "cabinets/rep/deals/list.html",
        {
            "list": listing,
            "project": request.project,
            "deal_prefix": _prefix("cabinet:deals", request),  # + "<code>/"
            "logo_prefix": _logo_prefix(),
            "SIDE_OWNER": SIDE_OWNER,
        },
    )


def _deal_or_deny(request, code: str):
    return found_or_deny(request, deal_get(project=request.project, code=code), reason="deal not found")


def _deal_page(request, deal, *, message_form=None, status=200):
    side = SIDE_OWNER if deal.owner_id == request.project.pk else SIDE_PARTNER
    active = deal.status == DealStatus.ACTIVE
    if message_form is None and request.can_act:
        message_form = DealMessageForm()
    return render(
        request,
        "cabinets/rep/deals/detail.html",
        {
            "deal": deal,
            "code_display": codes.display(deal.code),
            "terms": terms_for_display(deal.terms),
            "side": side,
            "SIDE_OWNER": SIDE_OWNER,
            "counterpart": deal.partner if side == SIDE_OWNER else deal.owner,
            "thread": deal_messages(deal=deal),
            "files_prefix": href_prefix("cabinet:deal_attachment", project_slug=request.project.slug, code=deal.code),
            "message_form": message_form,
            "message_url": reverse(
                "cabinet:deal_message", kwargs={"project_slug": request.project.slug, "code": deal.code}
            ),
            "can_end": active and request.can_act,
            "project": request.project,
            "logo_prefix": _logo_prefix(),
            "print_prefix": reverse(
                "cabinet:deal_print", kwargs={"project_slug": request.project.slug, "code": deal.code, "kind": "x"}
            ).removesuffix("x/"),
            **deal_visits_context(deal),
        },
        status=status,
    )


def deal_visits_context(deal) -> dict:
    """The deal page's visits card (both sides and staff): totals from the roll-up, the latest visits."""
    visits, figures = visit_selectors.deal_visits(deal)
    return {"visits": visits, "figures": figures}


def print_response(deal, kind: str, language: str):
    """The deal's referral cards or poster as a PDF download (offers.cards)."""
    if kind not in cards.KINDS:
        raise Http404
    pdf = cards.render_card(deal=deal, kind=kind, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{'cards' if kind == 'cards' else 'poster'}-{codes.display(deal.code)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def deal_print(request, code: str, kind: str):
    """A deal's printable referral cards (8 on an A4 sheet) or its A4 poster, for either side of the deal."""
    deal = _deal_or_deny(request, code)
    return print_response(deal, kind, request.LANGUAGE_CODE)


@capability_required(Capability.USE_PROJECT_CABINET)
@require_safe
def deal_detail(request, code: str):
    """A deal of this project (the code in any case, with or without its dash). Opening it marks its thread
    read for the reader."""
    deal = _deal_or_deny(request, code)
    services.deal_thread_mark_read(deal=deal, user=request.user)
    return _deal_page(request, deal)


def _back_to_deal(request, deal):
    return redirect("cabinet:deal_detail", project_slug=request.project.slug, code=deal.code)


@require_POST
@capability_required(Capability.USE_PROJECT_CABINET)
def deal_message(request, code: str):
    deal = _deal_or_deny(request, code)
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
            return _back_to_deal(request, deal)
    return _deal_page(request, deal, message_form=form)


@require_POST
@capability_required(Capability.USE_PROJECT_CABINET)
def deal_complete(request, code: str):
    deal = _deal_or_deny(request, code)
    try:
        services.deal_complete(deal=deal, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The deal is completed."))
    return _back_to_deal(request, deal)


@capability_required(Capability.USE_PROJECT_CABINET, acting=True)
@require_http_methods(["GET", "HEAD", "POST"])
def deal_cancel(request, code: str):
    """Call an active deal off, with a reason the journal keeps (GET: the confirmation with the form)."""
    deal = _deal_or_deny(request, code)
    form = ReasonForm(request.POST or None, label=_("Why you cancel the deal"))
    if request.method == "POST" and form.is_valid():
        try:
            services.deal_cancel(deal=deal, actor=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The deal is cancelled."))
            return _back_to_deal(request, deal)
    return render(
        request,
        "cabinets/rep/deals/cancel.html",
        {"deal": deal, "code_display": codes.display(deal.code), "form": form, "project": request.project},
    )
