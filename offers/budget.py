"""What a lot may cost its owner (the lot form's live calculator): pure arithmetic on Decimals, no database.

The owner pays the partner `reward` ₽ per new client, and Misty its commission — `commission_percent` of
that reward, per client, rounded to the kopeck (half up) as each client is billed. The client gets
`cashback_points` points each. With the whole quota brought, the owner pays at most the rewards plus the
commission.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

KOPECK = Decimal("0.01")


@dataclass(frozen=True)
class LotBudget:
    quota: int
    reward: Decimal  # per client, ₽
    cashback_points: int  # per client
    commission_percent: Decimal
    commission_per_client: Decimal  # ₽
    rewards: Decimal  # quota × reward
    commission: Decimal  # quota × commission per client
    cashback_total: int  # quota × cashback points
    maximum: Decimal  # rewards + commission: the most the lot can cost its owner


def lot_budget(
    *, quota: int, reward: Decimal, cashback_points: int = 0, commission_percent: Decimal | None = None
) -> LotBudget:
    """The budget of a lot with these terms. `commission_percent` defaults to PORTAL_COMMISSION_PERCENT."""
    if commission_percent is None:
        commission_percent = settings.PORTAL_COMMISSION_PERCENT
    quota, cashback_points = int(quota), int(cashback_points or 0)
    reward = Decimal(str(reward)).quantize(KOPECK, rounding=ROUND_HALF_UP)
    percent = Decimal(str(commission_percent))
    if quota < 0 or reward < 0 or cashback_points < 0 or not 0 <= percent <= 100:
        raise ValueError("a lot's budget is made of non-negative figures and a percent from 0 to 100")
    per_client = (reward * percent / 100).quantize(KOPECK, rounding=ROUND_HALF_UP)
    rewards = reward * quota
    commission = per_client * quota
    return LotBudget(
        quota=quota,
        reward=reward,
        cashback_points=cashback_points,
        commission_percent=percent,
        commission_per_client=per_client,
        rewards=rewards,
        commission=commission,
        cashback_total=quota * cashback_points,
        maximum=rewards + commission,
    )
