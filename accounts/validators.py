"""Checks of what people type about themselves, shared by every form that asks for it (profile, invitation,
access request, bulk invitation)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_CHARACTERS = frozenset("+0123456789 -()")


def clean_phone(value: str) -> str:
    """A phone number as typed (stripped), or a clear error: digits, spaces, +, - and brackets, 7 to 15
    digits. Empty stays empty (the field's own `required` decides whether that is allowed)."""
    phone = (value or "").strip()
    digits = sum(c.isdigit() for c in phone)
    if phone and not (7 <= digits <= 15 and set(phone) <= PHONE_CHARACTERS):
        raise ValidationError(_("Enter a phone number: digits, spaces, +, - and brackets, 7 to 15 digits."))
    return phone
