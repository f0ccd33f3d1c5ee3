"""The lot budget calculator's arithmetic (offers/budget.py): Decimal, kopecks, the commission per client."""

from decimal import Decimal

import pytest

from offers.budget import lot_budget


def test_quota_times_reward_plus_the_commission_per_client():
    budget = lot_budget(quota=100, reward=Decimal("300"), cashback_points=50, commission_percent=Decimal("10"))
    assert budget.rewards == Decimal("30000.00")
    assert budget.commission_per_client == Decimal("30.00")
    assert budget.commission == Decimal("3000.00")
    assert budget.cashback_total == 5000
    assert budget.maximum == Decimal("33000.00")


def test_the_commission_is_rounded_per_client_to_the_kopeck_half_up():
    # 7.5 % of 333.33 ₽ is 24.99975 ₽ → 25.00 ₽ a client, billed per client: 3 × 25.00.
    budget = lot_budget(quota=3, reward=Decimal("333.33"), commission_percent=Decimal("7.5"))
    assert budget.commission_per_client == Decimal("25.00")
    assert budget.commission == Decimal("75.00")
    assert budget.rewards == Decimal("999.99")
    assert budget.maximum == Decimal("1074.99")
    # 10 % of 0.05 ₽ is half a kopeck: up.
    assert lot_budget(quota=1, reward=Decimal("0.05"), commission_percent=10).commission_per_client == Decimal("0.01")


def test_no_float_drift():
    budget = lot_budget(quota=3, reward="0.10", commission_percent="10")
    assert budget.rewards == Decimal("0.30") and budget.maximum == Decimal("0.33")
    assert isinstance(budget.maximum, Decimal)


def test_the_commission_percent_comes_from_the_setting(settings):
    settings.PORTAL_COMMISSION_PERCENT = Decimal("12.5")
    budget = lot_budget(quota=2, reward=Decimal("1000"))
    assert budget.commission_percent == Decimal("12.5")
    assert budget.commission == Decimal("250.00")
    assert budget.maximum == Decimal("2250.00")


def test_no_reward_costs_nothing_and_cashback_still_adds_up():
    budget = lot_budget(quota=40, reward=Decimal("0"), cashback_points=25, commission_percent=Decimal("10"))
    assert budget.maximum == Decimal("0.00") and budget.cashback_total == 1000


@pytest.mark.parametrize(
    "kwargs",
    [
        {"quota": -1, "reward": Decimal("1")},
        {"quota": 1, "reward": Decimal("-1")},
        {"quota": 1, "reward": Decimal("1"), "cashback_points": -5},
        {"quota": 1, "reward": Decimal("1"), "commission_percent": Decimal("101")},
    ],
)
def test_negative_figures_are_refused(kwargs):
    with pytest.raises(ValueError):
        lot_budget(**kwargs)
