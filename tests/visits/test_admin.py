"""Visits and the ledger in the Django admin are read-only, and never show the client's hash."""

import pytest
from django.urls import reverse

from visits.models import LedgerEntry, Visit
from visits.services import visit_record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Visit, LedgerEntry])
def test_every_visit_and_entry_can_be_seen_and_none_changed(model, deal, rep_a, client_as):
    visit_record(code=deal.code, client_phone="+79161234567", source="manual", actor=rep_a, owner=deal.owner)
    client = client_as("admin")
    name = model._meta.model_name
    row = model.objects.first()
    assert client.get(reverse(f"admin:visits_{name}_changelist")).status_code == 200
    page = client.get(reverse(f"admin:visits_{name}_change", args=[row.pk]))
    assert page.status_code == 200
    assert Visit.objects.get().client not in page.content.decode()
    assert client.get(reverse(f"admin:visits_{name}_add")).status_code == 403
    assert client.post(reverse(f"admin:visits_{name}_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()
