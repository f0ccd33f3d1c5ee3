"""The marketplace in the Django admin is read-only: administrators can look at every row, change none."""

import pytest
from django.urls import reverse

from offers import services
from offers.models import Deal, DealMessage, Lot, LotStatus, Response

CHANNELS = {"channels": "Instagram"}


@pytest.fixture
def deal(live_lot, rep_a, rep_b, project_b):
    response = services.response_submit(lot=live_lot, project=project_b, actor=rep_b, data=CHANNELS)
    deal = services.response_accept(response=response, actor=rep_a)
    services.deal_message_post(deal=deal, actor=rep_b, body="Hello")
    return deal


@pytest.mark.parametrize("model", [Lot, Response, Deal, DealMessage])
def test_every_marketplace_row_can_be_seen_and_none_changed(model, deal, client_as):
    client = client_as("admin")
    meta = model._meta
    row = model.objects.first()
    assert client.get(reverse(f"admin:offers_{meta.model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:offers_{meta.model_name}_change", args=[row.pk])).status_code == 200
    assert client.get(reverse(f"admin:offers_{meta.model_name}_add")).status_code == 403
    assert (
        client.post(reverse(f"admin:offers_{meta.model_name}_delete", args=[row.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert model.objects.filter(pk=row.pk).exists()


def test_a_lot_cannot_be_published_through_the_admin(live_lot, client_as):
    Lot.objects.filter(pk=live_lot.pk).update(status=LotStatus.DRAFT)
    url = reverse("admin:offers_lot_change", args=[live_lot.pk])
    client_as("admin").post(url, {"status": "published", "title": "Hacked"})
    live_lot.refresh_from_db()
    assert (live_lot.status, live_lot.title) == (LotStatus.DRAFT, "100 new guests for the lounge")
