import pytest

from offers import services as offers
from tests.offers.conftest import _english, lot_terms  # noqa: F401  (English messages in every test)

CHANNELS = {"channels": "Our Telegram channel and the posters at the bar.", "expected_reach": 500}


def make_deal(*, owner_rep, partner_rep, moderator, owner, partner, **terms):
    lot = offers.lot_create(project=owner, actor=owner_rep, data=lot_terms(**terms))
    offers.lot_submit(lot=lot, actor=owner_rep)
    offers.lot_approve(lot=lot, actor=moderator)
    response = offers.response_submit(lot=lot, project=partner, actor=partner_rep, data=CHANNELS)
    return offers.response_accept(response=response, actor=owner_rep)


@pytest.fixture
def deal(rep_a, rep_b, moderator, project_a, project_b):
    """Project B brings clients to project A's lot (quota 100, reward 300 ₽, 50 points)."""
    return make_deal(owner_rep=rep_a, partner_rep=rep_b, moderator=moderator, owner=project_a, partner=project_b)
