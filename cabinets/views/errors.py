import math
from http import HTTPStatus

from django.shortcuts import render
from django.views import defaults

from cabinets.rate_limits import seconds_to_wait


def permission_denied(request, exception=None):
    return defaults.permission_denied(request, exception, template_name="errors/403.html")


def page_not_found(request, exception=None):
    return defaults.page_not_found(request, exception, template_name="errors/404.html")


def server_error(request):
    return defaults.server_error(request, template_name="errors/500.html")


def too_many_requests(request):
    """allauth's answer to a spent rate limit (`portal.urls.handler429`): the portal's page, saying how long to wait."""
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
