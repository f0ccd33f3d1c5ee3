"""How long a rate-limited visitor has to wait, read back from allauth's own counters.

allauth answers a spent rate limit with `respond_429(request)` and passes nothing else: not the action, not
the limit. The page the person sees must still say how long to wait, so the action is recovered from the
URL (each allauth view guards exactly one action) and the wait from the hit history allauth keeps in the
cache. This leans on `allauth.core.internal.ratelimit` (pinned to allauth 65): `get_rates` and
`get_cache_key` are the functions allauth itself uses, so the keys cannot drift apart; if they ever do,
tests/cabinets/test_rate_limited_page.py fails, and the page falls back to the length of the limit.
"""

from __future__ import annotations

import math
import time

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.cache import cache
from django.http import HttpRequest

ALLAUTH_APP = "allauth.account"

# URL name → the allauth rate-limit action its view consumes (allauth/account/views.py).
ACTION_OF_URL = {
    "account_login": "login",
    "account_change_password": "change_password",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_reauthenticate": "reauthenticate",
    "mfa_reauthenticate": "reauthenticate",
    "access_request": "access_request",  # the portal's own action (cabinets.views.access_requests)
}


def _key(request: HttpRequest, action: str) -> str | None:
    """The per-key value allauth counts for `action`, as allauth derives it (None if the action has none)."""
    if action == "reset_password":  # PasswordResetView.form_valid: key=form.cleaned_data["email"].lower()
        return (request.POST.get("email") or "").strip().lower() or None
    return None


def seconds_to_wait(request: HttpRequest) -> int | None:
    """Seconds until the limit that refused this request lets the next attempt through.

    None when the refused action is unknown (a 429 from a view not in ACTION_OF_URL). When the action is
    known but its counters cannot be read, the longest period of its limits — an upper bound.
    """
    match = getattr(request, "resolver_match", None)
    action = ACTION_OF_URL.get(match.url_name if match else "")
    if action is None:
        return None
    rates = allauth_ratelimit.get_rates(app=ALLAUTH_APP, action=action)
    if not rates:
        return None
    now = time.time()
    waits = []
    for rate in rates:
        if rate.per == "user" and not request.user.is_authenticated:
            continue
        key = _key(request, action) if rate.per == "key" else None
        if rate.per == "key" and key is None:
            continue
        cache_key = allauth_ratelimit.get_cache_key(request, app=ALLAUTH_APP, action=action, rate=rate, key=key)
        hits = sorted((ts for ts in cache.get(cache_key, []) if ts > now - rate.duration), reverse=True)
        if len(hits) >= rate.amount:
            # allowed again once the amount-th most recent hit leaves the window
            waits.append(hits[rate.amount - 1] + rate.duration - now)
    if not waits:
        return math.ceil(max(rate.duration for rate in rates))
    return max(1, math.ceil(max(waits)))
