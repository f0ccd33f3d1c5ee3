from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from api.views import api


def _read_only(pattern):
    """The schema and its docs page answer GET and HEAD only (ninja's views would take any method)."""
    if isinstance(pattern, URLPattern) and pattern.name in {"openapi-json", "openapi-view"}:
        return URLPattern(pattern.pattern, require_safe(pattern.callback), pattern.default_args, pattern.name)
    return pattern


_patterns, _app, _namespace = api.urls
urlpatterns = [path("api/v1/", ([_read_only(p) for p in _patterns], _app, _namespace))]
