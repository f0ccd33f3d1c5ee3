"""INN, BIK and account numbers: real requisites pass, every single-digit typo of a checksum is caught."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from projects.validators import (
    ACCOUNT_WEIGHTS,
    INN_10_WEIGHTS,
    INN_11_WEIGHTS,
    INN_12_WEIGHTS,
    bank_details_errors,
    correspondent_key,
    digits_only,
    inn_check_digit,
    inn_ok,
    settlement_key,
    validate_bik,
    validate_correspondent_account,
    validate_inn,
    validate_settlement_account,
)


@pytest.fixture(autouse=True)
def _english():
    """The messages are matched in English."""
    with translation.override("en"):
        yield


# Published requisites of real organisations and banks.
REAL_INNS = ["7707083893", "7736207543", "7736050003", "7728168971", "7710140679", "500100732259"]
REAL_BANK_DETAILS = [
    # BIK, settlement account, correspondent account
    ("046015207", "40702810326330000444", "30101810500000000207"),  # Alfa-Bank, Rostov branch
    ("044525104", "40702810102500129508", "30101810745374525104"),  # Tochka
    ("044525593", "40702810502260000343", "30101810200000000593"),  # Alfa-Bank
    ("046568905", "40702810000020001144", "30101810400000000905"),  # VTB, Yekaterinburg
    ("044030827", "40702810900000002851", "30101810200000000827"),
]
REAL_CORRESPONDENT = [("044525225", "30101810400000000225"), ("044525974", "30101810145250000974")]


def with_inn_10(base: str) -> str:
    return base + str(inn_check_digit(base, INN_10_WEIGHTS))


def with_inn_12(base: str) -> str:
    eleven = base + str(inn_check_digit(base, INN_11_WEIGHTS))
    return eleven + str(inn_check_digit(eleven, INN_12_WEIGHTS))


def with_account_check(key: str, account: str, position: int = 8) -> str:
    """Set the account's check digit (position 9, index 8) so that the keyed sum is a multiple of 10."""
    for check in "0123456789":
        candidate = account[:position] + check + account[position + 1 :]
        if sum(int(d) * w for d, w in zip(key + candidate, ACCOUNT_WEIGHTS, strict=True)) % 10 == 0:
            return candidate
    raise AssertionError("no check digit")


def one_typo(value: str, index: int, replacement: str) -> str:
    return value[:index] + replacement + value[index + 1 :]


@pytest.mark.parametrize("inn", REAL_INNS)
def test_real_inns_are_valid(inn):
    validate_inn(inn)


@pytest.mark.parametrize("bik,settlement,correspondent", REAL_BANK_DETAILS)
def test_real_bank_details_are_valid(bik, settlement, correspondent):
    assert bank_details_errors(bik=bik, settlement_account=settlement, correspondent_account=correspondent) == {}


@pytest.mark.parametrize("bik,correspondent", REAL_CORRESPONDENT)
def test_real_correspondent_accounts_are_valid(bik, correspondent):
    validate_correspondent_account(correspondent, bik=bik)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_any_ten_digit_inn_with_its_check_digit_is_valid(base):
    assert inn_ok(with_inn_10(base))


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_any_twelve_digit_inn_with_its_check_digits_is_valid(base):
    assert inn_ok(with_inn_12(base))


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(1, 9))
def test_a_wrong_check_digit_of_a_ten_digit_inn_is_caught(base, delta):
    inn = with_inn_10(base)
    wrong_check = one_typo(inn, 9, str((int(inn[9]) + delta) % 10))
    assert not inn_ok(wrong_check)
    with pytest.raises(ValidationError, match="check digit"):
        validate_inn(wrong_check)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10), st.integers(1, 9))
def test_a_wrong_last_digit_of_a_twelve_digit_inn_is_caught(base, delta):
    inn = with_inn_12(base)
    assert not inn_ok(one_typo(inn, 11, str((int(inn[11]) + delta) % 10)))
    assert not inn_ok(one_typo(inn, 10, str((int(inn[10]) + delta) % 10)))


@pytest.mark.parametrize("value", ["770708389", "77070838931", "7707O83893", "", "７７０７０８３８９３"])
def test_an_inn_of_another_shape_is_refused_with_the_format_message(value):
    with pytest.raises(ValidationError) as caught:
        validate_inn(value)
    assert caught.value.code == "inn_format"


@given(
    st.text(alphabet="0123456789", min_size=7, max_size=7),
    st.text(alphabet="0123456789", min_size=20, max_size=20),
    st.integers(0, 19),
    st.integers(1, 9),
)
def test_settlement_account_checksum_catches_every_single_digit_typo(bik_tail, raw_account, index, delta):
    bik = "04" + bik_tail
    account = with_account_check(settlement_key(bik), raw_account)
    validate_settlement_account(account, bik=bik)
    # Weights 7, 1 and 3 are all prime to 10: changing any one digit changes the sum modulo 10.
    typo = one_typo(account, index, str((int(account[index]) + delta) % 10))
    with pytest.raises(ValidationError) as caught:
        validate_settlement_account(typo, bik=bik)
    assert caught.value.code == "settlement_checksum"


@given(
    st.text(alphabet="0123456789", min_size=4, max_size=4),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
    st.text(alphabet="0123456789", min_size=14, max_size=14),
    st.integers(3, 16),
    st.integers(1, 9),
)
def test_correspondent_account_checksum_uses_the_bik_5th_and_6th_digits(region, tail, middle, index, delta):
    bik = "04" + region + tail
    account = with_account_check(correspondent_key(bik), "301" + middle + tail)
    validate_correspondent_account(account, bik=bik)
    typo = one_typo(account, index, str((int(account[index]) + delta) % 10))
    with pytest.raises(ValidationError) as caught:
        validate_correspondent_account(typo, bik=bik)
    assert caught.value.code == "correspondent_checksum"


def test_a_correspondent_account_must_start_with_301():
    with pytest.raises(ValidationError) as caught:
        validate_correspondent_account("40702810400000000225", bik="044525225")
    assert caught.value.code == "correspondent_prefix"


def test_a_correspondent_account_of_another_bank_is_refused():
    # Sberbank's correspondent account with Alfa-Bank's BIK: right prefix, right shape, wrong bank.
    with pytest.raises(ValidationError, match="does not match the BIK"):
        validate_correspondent_account("30101810400000000225", bik="044525593")


def test_a_settlement_account_keyed_for_another_bank_is_refused():
    _bik, account, _corr = REAL_BANK_DETAILS[2]
    errors = bank_details_errors(bik="044525225", settlement_account=account, correspondent_account="")
    assert set(errors) == {"settlement_account"}


@pytest.mark.parametrize(
    "bik,code",
    [
        ("04452522", "bik_format"),
        ("0445252250", "bik_format"),
        ("04452522a", "bik_format"),
        ("114525225", "bik_country"),
    ],
)
def test_bik_rules(bik, code):
    with pytest.raises(ValidationError) as caught:
        validate_bik(bik)
    assert caught.value.code == code


def test_accounts_without_a_bik_are_an_error_on_the_bik():
    errors = bank_details_errors(bik="", settlement_account="40702810326330000444", correspondent_account="")
    assert set(errors) == {"bik"}


def test_no_bank_details_at_all_are_fine():
    assert bank_details_errors(bik="", settlement_account="", correspondent_account="") == {}


def test_pasted_spaces_and_hyphens_are_dropped_but_letters_are_kept():
    assert digits_only(" 7707 083-893 ") == "7707083893"
    assert digits_only("7707O83893") == "7707O83893"
