"""Access requests: the public "request access" page and the staff queue where an administrator approves
(invites the person) or declines (with a reason the requester is emailed). accounts/access_requests.py."""

from allauth.core import ratelimit
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.access_requests import access_request_approve, access_request_decline, access_request_submit
from accounts.capabilities import Capability, has_capability
from accounts.models import AccessRequestStatus
from accounts.selectors import access_request_filterset, access_request_get
from cabinets.access import capability_required, found_or_deny
from cabinets.access_forms import AccessRequestApproveForm, AccessRequestDeclineForm, AccessRequestForm
from cabinets.lists import numbered_list
from portal.exceptions import ApplicationError

# ACCOUNT_RATE_LIMITS["access_request"]: per IP, counted like allauth's own limits (the journal's client IP).
RATE_LIMIT_ACTION = "access_request"


@never_cache
def access_request(request):
    """Anyone may ask for an account; a signed-in person already has one."""
    if request.user.is_authenticated:
        return redirect("home")
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Only complete forms count: a typo corrected costs nothing, every stored (or pretended) request does.
        if not ratelimit.consume(request, action=RATE_LIMIT_ACTION):
            return ratelimit.respond_429(request)  # the portal's 429 page, journaled (cabinets.views.errors)
        if form.is_bot:
            return redirect("access_request_sent")  # the honeypot: "thank you", nothing stored, nobody told
        data = form.cleaned_data
        try:
            access_request_submit(
                company=data["company"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                message=data["message"],
                language=get_language(),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("access_request_sent")
    return render(request, "account/access_request.html", {"form": form})


@require_safe
def access_request_sent(request):
    return render(request, "account/access_request_sent.html")


@capability_required(Capability.USE_STAFF_CABINET)
@require_safe
def access_requests(request):
    listing = numbered_list(request, access_request_filterset(user=request.user, data=request.GET))
    return render(
        request,
        "cabinets/staff/access_requests/list.html",
        {
            "list": listing,
            "detail_prefix": reverse("staff:access_requests"),  # + "<pk>/": no reverse() per row
            "detail_query": f"?{listing.filters_query}" if listing.filters_query else "",
        },
    )


def _detail(request, pk, *, approve_form=None, decline_form=None, status=200):
    item = found_or_deny(request, access_request_get(user=request.user, pk=pk), reason="access request not found")
    can_decide = item.status == AccessRequestStatus.OPEN and has_capability(request.user, Capability.MANAGE_USERS)
    if can_decide and approve_form is None:
        first_name, last_name = item.split_name()
        approve_form = AccessRequestApproveForm(initial={"first_name": first_name, "last_name": last_name})
    if can_decide and decline_form is None:
        decline_form = AccessRequestDeclineForm()
    return render(
        request,
        "cabinets/staff/access_requests/detail.html",
        {
            "item": item,
            "can_decide": can_decide,
            "approve_form": approve_form,
            "decline_form": decline_form,
            "back_query": request.GET.urlencode(),
        },
        status=status,
    )


@capability_required(Capability.USE_STAFF_CABINET)
@require_safe
def access_request_detail(request, pk: int):
    return _detail(request, pk)


@require_POST
@capability_required(Capability.USE_STAFF_CABINET, Capability.MANAGE_USERS)
def access_request_approve_view(request, pk: int):
    item = found_or_deny(request, access_request_get(user=request.user, pk=pk), reason="access request not found")
    form = AccessRequestApproveForm(request.POST)
    if form.is_valid():
        try:
            user = access_request_approve(
                access_request=item,
                actor=request.user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                role=form.cleaned_data["role"],
                memberships=form.memberships(),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)  # e.g. the email has an account by now; the form keeps its values
        else:
            messages.success(
                request,
                _("The request is approved: %(email)s received an invitation to set a password.")
                % {"email": user.email},
            )
            return redirect("staff:access_request_detail", pk=item.pk)
    return _detail(request, pk, approve_form=form)


@require_POST
@capability_required(Capability.USE_STAFF_CABINET, Capability.MANAGE_USERS)
def access_request_decline_view(request, pk: int):
    item = found_or_deny(request, access_request_get(user=request.user, pk=pk), reason="access request not found")
    form = AccessRequestDeclineForm(request.POST)
    if form.is_valid():
        try:
            access_request_decline(access_request=item, actor=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("The request is declined: %(email)s is emailed the reason.") % {"email": item.email}
            )
            return redirect("staff:access_request_detail", pk=item.pk)
    return _detail(request, pk, decline_form=form)
