"""Where the current request came from, for events written by services that never see the request.

`AuditContextMiddleware` puts the client's IP and user agent in a context variable for the duration of a
request; `record()` uses it when it is not given `request=` (services take the actor, not the request).
"""

from __future__ import annotations

import contextvars
import ipaddress
from dataclasses import dataclass

from django.conf import settings

USER_AGENT_MAX = 300


@dataclass(frozen=True)
class Origin:
    ip: str | None
    user_agent: str


_current: contextvars.ContextVar[Origin | None] = contextvars.ContextVar("auditlog_origin", default=None)


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:443"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address. Behind N trusted proxies (`ALLAUTH_TRUSTED_PROXY_COUNT`, env TRUSTED_PROXY_COUNT)
    it is the Nth entry of X-Forwarded-For from the right — the one our own outermost proxy appended;
    entries further left are whatever the client chose to send. Without proxies, REMOTE_ADDR.

    The same rule as allauth's rate limiter, so both name the same client; allauth's helper is internal API
    and raises on a short header, while recording an event must never fail the request."""
    trusted = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= trusted:
            ip = _valid_ip(hops[-trusted])
            if ip:
                return ip
    return _valid_ip(request.META.get("REMOTE_ADDR"))


def origin_of(request) -> Origin:
    return Origin(ip=client_ip(request), user_agent=(request.META.get("HTTP_USER_AGENT") or "")[:USER_AGENT_MAX])


def current_origin() -> Origin | None:
    return _current.get()


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(origin_of(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
