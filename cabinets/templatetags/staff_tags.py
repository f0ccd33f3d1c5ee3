"""Tags of the staff cabinet's menu."""

from django import template

from accounts.selectors import open_access_request_count
from offers.selectors import BADGE_CAP, moderation_queue_count

register = template.Library()


@register.simple_tag(takes_context=True)
def open_access_requests(context) -> int | None:
    """Open access requests, for the menu's badge: one COUNT per page (within every page's query budget),
    taken once per request however often the menu is rendered."""
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_open_access_requests"):
        request._open_access_requests = open_access_request_count(user=request.user)
    return request._open_access_requests


@register.simple_tag(takes_context=True)
def lots_waiting(context) -> int | None:
    """Revisions waiting for moderation, for the menu's badge: one COUNT per page, once per request."""
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_lots_waiting"):
        request._lots_waiting = moderation_queue_count(user=request.user)
    return request._lots_waiting


@register.filter
def badge(count) -> str:
    """A menu badge's figure: "99+" from the cap on (the count stops there)."""
    return f"{BADGE_CAP - 1}+" if count is not None and count >= BADGE_CAP else str(count)


def remember_lots_waiting(request, count: int) -> None:
    """The queue page has just counted the whole queue: the menu's badge reuses it instead of counting again."""
    request._lots_waiting = count
