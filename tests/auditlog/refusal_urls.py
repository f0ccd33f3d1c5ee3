"""The portal's URLs plus three views that refuse in different ways (tests/auditlog/test_refusals.py)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path

from cabinets.access import deny
from portal.urls import handler403, handler404, handler429, handler500  # noqa: F401 — the portal's handlers
from portal.urls import urlpatterns as portal_urlpatterns


def raises_permission_denied(request):
    raise PermissionDenied("a library said no")


def raises_http404(request):
    raise Http404("No Lot matches the given query.")


def goes_through_deny(request):
    deny(request, status=404, reason="selector found nothing")


urlpatterns = [
    path("refusals/forbidden/", raises_permission_denied),
    path("refusals/missing/", raises_http404),
    path("refusals/denied/", goes_through_deny),
    *portal_urlpatterns,
]
