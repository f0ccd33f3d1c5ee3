"""Questions about a person's second factor that allauth answers only internally."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, validate_totp_code
from allauth.mfa.utils import decrypt
from django.core.cache import cache


def totp_code_was_used(*, user, code: str) -> bool:
    """True if `code` is the user's current authenticator-app code and allauth has already accepted it.

    allauth refuses a replayed code with the same "Incorrect code." as a mistyped one; this tells the two
    apart so the person can be told to wait for the next code. It reads allauth's replay guard (a cache
    key per user and code, kept for one TOTP period; `TOTP._mark_code_used`) and never writes it, so
    asking changes nothing. tests/accounts/test_two_factor.py breaks if allauth renames the key.
    """
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None or not code:
        return False
    totp = TOTP(authenticator)
    if not validate_totp_code(decrypt(authenticator.data["secret"]), code):
        return False
    return cache.get(totp._get_used_cache_key(code)) is not None
