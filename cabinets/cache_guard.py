"""Sign-in fails closed while the cache is down (`portal.cache`).

allauth counts failed passwords and codes in the cache; with the cache unreachable it cannot count, and a
password form that still answered would allow unlimited guessing. So every POST to allauth's pages —
sign-in, re-authentication, password change and reset, two-factor — answers 503 with a translated
"try again in a minute" page until the cache is back. Signing out still works, and so does every other
page: only what checks a credential needs the cache.
"""

from django.shortcuts import render
from django.utils.cache import patch_cache_control

from portal.cache import cache_available

RETRY_AFTER_SECONDS = 60
# allauth's URL names (cabinets/auth_urls.py): account_* and mfa_*; signing out needs no counting.
GUARDED_URL_PREFIXES = ("account_", "mfa_")
UNGUARDED_URL_NAMES = frozenset({"account_logout"})


def needs_cache(request) -> bool:
    match = request.resolver_match
    name = (match.url_name or "") if match else ""
    return request.method == "POST" and name.startswith(GUARDED_URL_PREFIXES) and name not in UNGUARDED_URL_NAMES


def sign_in_unavailable(request):
    response = render(request, "errors/503_sign_in.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    # An expected answer, not a server error: without this Django logs every refused POST at ERROR, which
    # production mails to the admins — a mail flood anyone could start during an outage. portal.cache has
    # already logged the outage once.
    response._has_been_logged = True
    return response


class SignInNeedsCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if needs_cache(request) and not cache_available():
            return sign_in_unavailable(request)
        return None
