import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from offers import services

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def lot_terms(**changes):
    values = {
        "title": "100 new guests for the lounge",
        "description": "Bring friends who never visited us.",
        "age_from": 18,
        "age_to": 35,
        "gender": "any",
        "segment": "students",
        "quota": 100,
        "benefit_type": "discount_percent",
        "benefit_value": Decimal("15"),
        "reward": Decimal("300"),
        "cashback_points": 50,
        "valid_from": TODAY,
        "valid_until": TODAY + dt.timedelta(days=60),
    }
    values.update(changes)
    return values


@pytest.fixture
def live_lot(rep_a, moderator, project_a):
    """A lot of project A, published."""
    lot = services.lot_create(project=project_a, actor=rep_a, data=lot_terms())
    services.lot_submit(lot=lot, actor=rep_a)
    return services.lot_approve(lot=lot, actor=moderator)
