"""A project's legal data and bank details: Russian INN, BIK and account numbers, with their checksums.

Each `validate_*` raises Django's `ValidationError` with a translated message (forms show it on the field,
services turn it into an `ApplicationError`); the `*_ok` helpers answer True/False for code that only asks.
The rules are the Central Bank's and the Tax Service's:

* INN: 10 digits (an organisation) or 12 (a person, a sole trader); the last one (or two) are check digits,
  weighted sums modulo 11 then 10.
* BIK: 9 digits; a Russian bank's starts with "04" (the country code). Its last three digits name the
  correspondent account (they are its last three digits too).
* Accounts: 20 digits; a control key made of three BIK digits followed by the account is weighted
  7, 1, 3, 7, 1, 3, … and its sum must be a multiple of 10. The key is the BIK's last three digits for a
  settlement account (at a cash settlement centre of the Bank of Russia, BIK digits 7-8 "00", the
  correspondent key below), "0" and the BIK's 5th and 6th digits for the bank's correspondent account,
  which starts with 301 (an account of a credit institution at the Bank of Russia) and ends with the
  BIK's last three digits.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INN_10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_11_WEIGHTS = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_12_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
ACCOUNT_WEIGHTS = ((7, 1, 3) * 8)[:23]  # three digits from the BIK, twenty of the account

BIK_COUNTRY_PREFIX = "04"
CORRESPONDENT_PREFIX = "301"


def _is_digits(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()


def _weighted(digits: str, weights) -> int:
    """The weighted sum of the first len(weights) digits (an INN's check digits follow them)."""
    return sum(int(d) * w for d, w in zip(digits[: len(weights)], weights, strict=True))


def inn_check_digit(digits: str, weights) -> int:
    return _weighted(digits, weights) % 11 % 10


def inn_ok(value: str) -> bool:
    if _is_digits(value, 10):
        return inn_check_digit(value, INN_10_WEIGHTS) == int(value[9])
    if _is_digits(value, 12):
        return inn_check_digit(value, INN_11_WEIGHTS) == int(value[10]) and inn_check_digit(
            value, INN_12_WEIGHTS
        ) == int(value[11])
    return False


def account_key_ok(key: str, account: str) -> bool:
    """The control sum of an account with its three-digit key from the BIK."""
    return _weighted(key + account, ACCOUNT_WEIGHTS) % 10 == 0


def settlement_key(bik: str) -> str:
    """A cash settlement centre of the Bank of Russia (7th and 8th BIK digits "00") keys its clients'
    accounts as correspondent accounts; every bank keys them with the BIK's last three digits."""
    return correspondent_key(bik) if bik[6:8] == "00" else bik[6:9]


def correspondent_key(bik: str) -> str:
    return "0" + bik[4:6]


def validate_inn(value: str) -> None:
    if not (value.isascii() and value.isdigit()) or len(value) not in (10, 12):
        raise ValidationError(
            _("An INN is 10 digits (an organisation) or 12 digits (a sole trader)."), code="inn_format"
        )
    if not inn_ok(value):
        raise ValidationError(_("This INN has a wrong check digit: check it for a typo."), code="inn_checksum")


def validate_bik(value: str) -> None:
    if not _is_digits(value, 9):
        raise ValidationError(_("A BIK is 9 digits."), code="bik_format")
    if not value.startswith(BIK_COUNTRY_PREFIX):
        raise ValidationError(_("A Russian bank's BIK starts with 04."), code="bik_country")


def validate_account_format(value: str) -> None:
    if not _is_digits(value, 20):
        raise ValidationError(_("An account number is 20 digits."), code="account_format")


def validate_settlement_account(account: str, *, bik: str) -> None:
    """`bik` must already be valid."""
    validate_account_format(account)
    if not account_key_ok(settlement_key(bik), account):
        raise ValidationError(
            _("This settlement account does not match the BIK: check both for a typo."), code="settlement_checksum"
        )


def validate_correspondent_account(account: str, *, bik: str) -> None:
    """`bik` must already be valid."""
    validate_account_format(account)
    if not account.startswith(CORRESPONDENT_PREFIX):
        raise ValidationError(_("A correspondent account starts with 301."), code="correspondent_prefix")
    if account[-3:] != bik[-3:] or not account_key_ok(correspondent_key(bik), account):
        raise ValidationError(
            _("This correspondent account does not match the BIK: check both for a typo."),
            code="correspondent_checksum",
        )


def bank_details_errors(*, bik: str, settlement_account: str, correspondent_account: str) -> dict[str, ValidationError]:
    """Every problem of a set of bank details, by field (empty when they are fine or all left blank).

    Accounts are checked against the BIK, so an account without a valid BIK is an error on the BIK."""
    errors: dict[str, ValidationError] = {}
    if bik:
        try:
            validate_bik(bik)
        except ValidationError as exc:
            errors["bik"] = exc
    elif settlement_account or correspondent_account:
        errors["bik"] = ValidationError(
            _("Enter the bank's BIK: the accounts are checked against it."), code="bik_required"
        )
    for field, validate in (
        ("settlement_account", validate_settlement_account),
        ("correspondent_account", validate_correspondent_account),
    ):
        account = {"settlement_account": settlement_account, "correspondent_account": correspondent_account}[field]
        if not account:
            continue
        if "bik" in errors or not bik:
            try:
                validate_account_format(account)
            except ValidationError as exc:
                errors[field] = exc
            continue
        try:
            validate(account, bik=bik)
        except ValidationError as exc:
            errors[field] = exc
    return errors


def digits_only(value: str) -> str:
    """What people paste: "7707 083 893", "4070-2810…" → the digits alone (other characters are kept, so a
    letter still fails the format check instead of vanishing)."""
    return "".join(ch for ch in (value or "").strip() if ch not in " -\u00a0")
