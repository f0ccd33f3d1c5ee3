"""The bench URLconf (`portal.settings.bench` only): the portal's URLs plus one bare view per page."""

from django.http import Http404
from django.urls import path

from portal.bench import registry
from portal.urls import handler403, handler404, handler429, handler500  # noqa: F401 — the portal's error pages
from portal.urls import urlpatterns as portal_urlpatterns

registry.discover()


def bare(request, page_slug):
    """Dispatch to the page's bare view with the page URL's kwargs, which the runner passes as GET."""
    page = registry.page_by_slug(page_slug)
    if page is None or page.bare is None:
        raise Http404
    return page.bare(request, **request.GET.dict())


urlpatterns = [
    path("__bench__/bare/<slug:page_slug>/", bare, name="bench_bare"),
    *portal_urlpatterns,
]
