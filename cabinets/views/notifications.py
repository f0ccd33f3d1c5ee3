"""Notifications in the cabinet: the bell, the list, mark read, preferences; and staff "Email delivery"."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.capabilities import Capability, has_capability
from cabinets.access import capability_required, deny
from cabinets.lists import numbered_list
from cabinets.notification_forms import NotificationPreferencesForm
from notifications import events, selectors, services
from notifications.rendering import localize_notifications
from portal.exceptions import ApplicationError

PAGE_SIZE = 25
CHANGED_EVENT = "notifications-changed"  # the bell listens for it (hx-trigger "... from:body")


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@capability_required()
@require_safe
def notification_list(request):
    filterset = selectors.notification_filterset(user=request.user, data=request.GET)
    listing = numbered_list(request, filterset, per_page=PAGE_SIZE)
    labels = {}
    for notification in listing:
        if notification.event not in labels:
            labels[notification.event] = events.label_for(notification.event)
        notification.event_label = labels[notification.event]
    localize_notifications(listing, reader=request.user)
    return render(
        request,
        "cabinets/notifications/list.html",
        {
            "list": listing,
            "here": request.get_full_path(),
            "read_prefix": reverse("notifications:list"),
        },
    )


@never_cache
def bell(request):
    """The navbar bell alone, for htmx to refresh every NOTIFICATIONS_BELL_POLL_SECONDS and after mark-read.

    When the session has ended, htmx would follow the login redirect and put the login page in the navbar:
    its poll gets "204 No Content" instead (htmx keeps the old bell); the next navigation shows the login.
    """
    if request.htmx and not request.user.is_authenticated:
        return HttpResponse(status=204)
    return _bell(request)


@capability_required()
@require_safe
def _bell(request):
    return render(request, "notifications/includes/bell.html", {"bell_refresh": True})


@capability_required()
@require_POST
def mark_read(request, pk: int):
    notification = selectors.notification_get(user=request.user, pk=pk)
    if notification is None:
        deny(request, status=404, reason="notification not found")
    services.notification_mark_read(user=request.user, notification=notification)
    if request.htmx:
        notification.event_label = events.label_for(notification.event)
        localize_notifications([notification], reader=request.user)
        response = render(
            request,
            "cabinets/notifications/includes/row.html",
            {"n": notification, "here": _safe_next(request, ""), "read_prefix": reverse("notifications:list")},
        )
        response["HX-Trigger"] = CHANGED_EVENT
        return response
    return redirect(_safe_next(request, "notifications:list"))


@capability_required()
@require_POST
def mark_all_read(request):
    count = services.notification_mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
            % {"count": count},
        )
    else:
        messages.info(request, _("There were no unread notifications."))
    return redirect(_safe_next(request, "notifications:list"))


@capability_required()
def preferences(request):
    current = selectors.email_preferences(user=request.user)
    form = NotificationPreferencesForm(request.POST or None, user=request.user, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_update(
                user=request.user,
                email_enabled=form.email_choices(),
                staff_level=form.cleaned_data.get("staff_level") or None,
                request=request,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Notification preferences saved."))
            return redirect("notifications:preferences")
    return render(request, "cabinets/notifications/preferences.html", {"form": form})


@capability_required(Capability.USE_STAFF_CABINET)
@require_safe
def email_delivery(request):
    filterset = selectors.email_delivery_filterset(user=request.user, data=request.GET)
    return render(
        request,
        "cabinets/staff/email_delivery.html",
        {
            "list": numbered_list(request, filterset, per_page=PAGE_SIZE),
            "counts": selectors.email_delivery_counts(user=request.user),
            "can_resend": has_capability(request.user, Capability.RESEND_EMAILS),
        },
    )


@capability_required(Capability.RESEND_EMAILS)
@require_POST
def email_resend(request):
    """Resend one failed email (`notification`) or every failed one (`all`)."""
    ids = None
    if not request.POST.get("all"):
        try:
            ids = [int(request.POST["notification"])]
        except (KeyError, ValueError):
            messages.error(request, _("Choose an email to resend."))
            return redirect("staff:email_delivery")
    count = services.emails_resend_failed(actor=request.user, notification_ids=ids, request=request)
    if count:
        messages.success(
            request,
            ngettext("%(count)d email queued again.", "%(count)d emails queued again.", count) % {"count": count},
        )
    else:
        messages.info(request, _("No failed email to resend."))
    return redirect(_safe_next(request, "staff:email_delivery"))
