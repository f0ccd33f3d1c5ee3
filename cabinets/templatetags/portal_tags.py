from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced — for pagination and sort links that keep filters."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag
def support_email() -> str:
    """The address people write to when the portal cannot help them itself (settings.SUPPORT_EMAIL)."""
    return settings.SUPPORT_EMAIL
