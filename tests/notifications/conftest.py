import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from tests.factories import UserFactory

PAID_AT = datetime.datetime(2026, 3, 3, 22, 30, tzinfo=datetime.UTC)  # 4 March 01:30 in Moscow

CONTEXTS = {
    "offers.lot.submitted": {"lot_title": "100 new guests", "project_name": "Alpha Lounge"},
    "offers.lot.approved": {"lot_title": "100 new guests"},
    "offers.deal.completed": {
        "deal_title": "100 new guests",
        "owner_name": "Alpha Lounge",
        "partner_name": "Beta Barbershop",
    },
    "offers.payment.recorded": {
        "payer_name": "Alpha Lounge",
        "payee_name": "Beta Barbershop",
        "amount": Decimal("5000"),
        "paid_at": PAID_AT,
    },
    "accounts.user.invited": {"inviter_name": "Adam Admin", "expires_at": PAID_AT},
}


@pytest.fixture
def notify_now(django_capture_on_commit_callbacks):
    """notify() as a service calls it, with the after-commit callbacks (the email tasks, eager here) run."""
    from notifications import notify

    def run(*, recipients, event, context=None, link="/cabinet/alpha/"):
        with django_capture_on_commit_callbacks(execute=True):
            return notify(
                recipients=recipients,
                event=event,
                context=CONTEXTS.get(event, {}) if context is None else context,
                link=link,
            )

    return run


@pytest.fixture
def make_rep(db):
    def make(**fields):
        fields.setdefault("role", Role.REPRESENTATIVE)
        return UserFactory(**fields)

    return make
