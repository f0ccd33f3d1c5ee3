"""Who the client is, without knowing who the client is (SPEC §3 "Referred visit").

A client is named by a phone number or a loyalty card number. Neither is stored nor logged: the portal keeps
`client_key()` — HMAC-SHA256 under `settings.CLIENT_HASH_KEY` of the normalized value, with its kind in front
("phone:79161234567", "card:A1234") so that a card number that happens to look like a phone is another client.
The same person named once by phone and once by card counts as two clients (docs/DECISIONS.md).
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_NOT_DIGITS = re.compile(r"\D")
_PHONE_CHARACTERS = re.compile(r"^\+?[\d\s\-().\u00a0]+$")
_CARD = re.compile(r"^[0-9A-Z]{4,32}$")
_CARD_SEPARATORS = str.maketrans("", "", " -_.\u00a0")


def normalize_phone(typed: str) -> str | None:
    """A phone number as typed → its digits in international form (Russian habits understood), or None.

    "+7 (916) 123-45-67", "8 916 123 45 67" and "9161234567" are all "79161234567"; another country's number
    needs its "+" ("+375 29 123 45 67" → "375291234567"). 10 to 15 digits, as E.164 allows."""
    if not typed or not _PHONE_CHARACTERS.match(typed.strip()):
        return None
    text = typed.strip()
    digits = _NOT_DIGITS.sub("", text)
    if not text.startswith("+"):
        if len(digits) == 11 and digits[0] == "8":
            digits = "7" + digits[1:]
        elif len(digits) == 10 and digits[0] == "9":
            digits = "7" + digits
        elif not (len(digits) == 11 and digits[0] == "7"):
            return None
    if not 10 <= len(digits) <= 15 or digits[0] == "0":
        return None
    return digits


def normalize_card(typed: str) -> str | None:
    """A loyalty card number as typed → upper case without spaces or dashes (4–32 letters and digits), or None."""
    if not typed:
        return None
    card = typed.strip().upper().translate(_CARD_SEPARATORS)
    return card if _CARD.match(card) else None


def client_key(*, phone: str | None = None, card: str | None = None) -> str | None:
    """The keyed hash that stands for the client (64 hex characters), or None if what was typed is no phone
    (or no card). Exactly one of `phone` and `card` is given."""
    if (phone is None) == (card is None):
        raise ValueError("a client is named by a phone number or by a card number")
    if phone is not None:
        value = normalize_phone(phone)
        kind = "phone"
    else:
        value = normalize_card(card)
        kind = "card"
    if value is None:
        return None
    secret = settings.CLIENT_HASH_KEY
    if not secret:
        raise ImproperlyConfigured("CLIENT_HASH_KEY is not set: referred visits cannot name their clients.")
    return hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
