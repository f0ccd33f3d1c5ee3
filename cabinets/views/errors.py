"""The portal's error pages. Each refusal is journaled once (auditlog.hooks): a 403/404 raised through the
access policy's `deny()` already was; any other Http404 / PermissionDenied that reaches Django's handlers
(an unknown URL, a `get_object_or_404`, a PermissionDenied from a library) is journaled here. So are CSRF
failures (CSRF_FAILURE_VIEW) and allauth's rate-limit 429s (allauth calls ROOT_URLCONF.handler429)."""

import math
from http import HTTPStatus

from django.shortcuts import render
from django.urls import Resolver404
from django.views import defaults

from auditlog import events
from auditlog.hooks import request_refused, request_was_journaled
from cabinets.access import journal_denial
from cabinets.rate_limits import seconds_to_wait

REASON_MAX = 200


def _reason(exception) -> str:
    if exception is None:
        return ""
    if isinstance(exception, Resolver404):
        return "no such URL"  # its message is the whole list of URL patterns tried
    message = exception.args[0] if exception.args and isinstance(exception.args[0], str) else ""
    return f"outside the access policy: {exception.__class__.__name__}{': ' + message if message else ''}"[:REASON_MAX]


def _journal_denial(request, status: int, exception) -> None:
    if not request_was_journaled(request):
        journal_denial(request, status=status, reason=_reason(exception))


def permission_denied(request, exception=None):
    _journal_denial(request, 403, exception)
    return defaults.permission_denied(request, exception, template_name="errors/403.html")


def page_not_found(request, exception=None):
    _journal_denial(request, 404, exception)
    return defaults.page_not_found(request, exception, template_name="errors/404.html")


def server_error(request):
    return defaults.server_error(request, template_name="errors/500.html")


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: usually a form left open past its token, sometimes a forged cross-site POST."""
    request_refused(
        request=request, event=events.ACCESS_CSRF_FAILED, changes={"status": 403, "reason": str(reason)[:REASON_MAX]}
    )
    return render(request, "errors/403_csrf.html", status=403)


def too_many_requests(request, exception=None):
    """`handler429`: allauth's rate limits (sign-in attempts per IP, password resets, password changes) —
    journaled, and the portal's page saying how long to wait (read from allauth's counters)."""
    match = getattr(request, "resolver_match", None)
    request_refused(
        request=request,
        event=events.ACCESS_RATE_LIMITED,
        changes={"status": 429, "url_name": match.view_name if match else ""},
    )
    wait = seconds_to_wait(request)
    context = {
        "wait_seconds": wait,
        "wait_minutes": math.ceil(wait / 60) if wait else None,
        "retry_url": request.get_full_path(),
    }
    response = render(request, "errors/429.html", context, status=HTTPStatus.TOO_MANY_REQUESTS)
    if wait:
        response["Retry-After"] = str(wait)
    return response
