from django import template
from django.conf import settings

from notifications.selectors import UNREAD_CAP, unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_bell(context) -> dict:
    """The bell's state: one bounded, indexed query, and only on pages that show the bell."""
    request = context.get("request")
    if request is None:
        return _state(0)
    if not hasattr(request, "_notification_bell"):  # the menu's bell and the phone bell share one count
        request._notification_bell = _state(unread_count(user=request.user))
    return request._notification_bell


def _state(count: int) -> dict:
    return {
        "count": count,
        "display": f"{UNREAD_CAP - 1}+" if count >= UNREAD_CAP else str(count),
        "poll_seconds": settings.NOTIFICATIONS_BELL_POLL_SECONDS,
    }
