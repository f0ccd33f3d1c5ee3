"""Payments: two ledger legs that move the pair's balance toward zero, both sides told, the document, the page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse

from auditlog.models import AuditEvent
from notifications.models import Notification
from offers import codes
from portal.exceptions import ApplicationError
from visits import checks
from visits.models import EntryKind, LedgerEntry, Payment
from visits.payments import payment_record
from visits.services import visit_record

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def balance(project, counterparty):
    return LedgerEntry.objects.filter(project=project, counterparty=counterparty).aggregate(s=Sum("amount"))["s"]


def test_a_payment_moves_the_pairs_balance_to_zero_and_tells_both_sides(deal, moderator, rep_a, rep_b):
    for n in range(2):
        visit_record(code=codes.display(deal.code), source="manual", owner=deal.owner, client_phone=f"+7916000000{n}")
    owner, partner = deal.owner, deal.partner
    assert balance(owner, partner) == Decimal("-600") and balance(partner, owner) == Decimal("600")

    payment = payment_record(
        payer=owner, payee=partner, amount="600", paid_on=dt.date.today(), note="June", actor=moderator
    )

    assert balance(owner, partner) == 0 and balance(partner, owner) == 0
    legs = LedgerEntry.objects.filter(payment=payment)
    assert {(leg.kind, leg.project_id, leg.amount) for leg in legs} == {
        (EntryKind.PAYMENT, owner.pk, Decimal("600.00")),
        (EntryKind.PAYMENT, partner.pk, Decimal("-600.00")),
    }
    assert len({leg.txn for leg in legs}) == 1
    assert checks.first_violation() is None
    told = set(Notification.objects.filter(event="offers.payment.recorded").values_list("recipient", "link"))
    assert told == {(rep_a.pk, "/cabinet/alpha/ledger/"), (rep_b.pk, "/cabinet/beta/ledger/")}
    event = AuditEvent.objects.get(event="visits.payment.recorded")
    assert event.actor == moderator and event.project == owner


def test_misty_is_the_payee_of_the_commission(deal, moderator):
    visit_record(code=codes.display(deal.code), source="manual", owner=deal.owner, client_phone="+79160000001")
    owed = -balance(deal.owner, None)
    payment_record(payer=deal.owner, payee=None, amount=owed, paid_on=dt.date.today(), actor=moderator)
    assert balance(deal.owner, None) == 0
    assert LedgerEntry.objects.filter(project=None, counterparty=deal.owner).aggregate(s=Sum("amount"))["s"] == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "0"}, "positive number"),
        ({"amount": "1.234"}, "two decimals"),
        ({"paid_on": dt.date.today() + dt.timedelta(days=2)}, "future"),
        ({"period_from": dt.date(2025, 2, 1), "period_to": dt.date(2025, 1, 1)}, "ends before"),
        ({"period_from": dt.date(2025, 2, 1)}, "both ends"),
        ({"payee": "self"}, "cannot pay itself"),
    ],
)
def test_a_wrong_payment_is_refused_and_writes_nothing(project_a, project_b, moderator, changes, message):
    values = {"payer": project_a, "payee": project_b, "amount": "10", "paid_on": dt.date.today(), "actor": moderator}
    values.update(changes)
    if values["payee"] == "self":
        values["payee"] = project_a
    with pytest.raises(ApplicationError, match=message):
        payment_record(**values)
    assert not Payment.objects.exists() and not LedgerEntry.objects.exists()


def test_only_staff_who_record_visits_record_payments(project_a, project_b, director):
    with pytest.raises(ApplicationError):
        payment_record(payer=project_a, payee=project_b, amount="10", paid_on=dt.date.today(), actor=director)


def test_the_staff_page_records_a_payment_with_its_document_and_lists_it(
    client_as, project_a, project_b, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    client = client_as("moderator")
    response = client.post(
        reverse("staff:payment_create"),
        {
            "payer": project_a.pk,
            "payee": project_b.pk,
            "amount": "1500.50",
            "paid_on": "2025-01-15",
            "period_from": "2024-12-01",
            "period_to": "2024-12-31",
            "note": "December",
            "document": SimpleUploadedFile("платёжка.pdf", PDF),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    payment = Payment.objects.get()
    assert (payment.amount, payment.document_name, payment.period_to) == (
        Decimal("1500.50"),
        "платёжка.pdf",
        dt.date(2024, 12, 31),
    )
    page = client.get(reverse("staff:payments"), {"project": project_b.pk}).content.decode()
    assert "December" in page and "платёжка.pdf" in page
    assert "December" not in client.get(reverse("staff:payments"), {"project": "misty"}).content.decode()
    download = client.get(reverse("staff:payment_document", args=[payment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(event="files.downloaded").count() == 1

    renamed = client.post(
        reverse("staff:payment_create"),
        {"payer": project_a.pk, "amount": "5", "paid_on": "2025-01-15", "document": SimpleUploadedFile("a.pdf", b"MZ")},
    )
    assert renamed.status_code == 200 and Payment.objects.count() == 1


def test_payments_page_budget(client_as, page_queries, project_a, project_b, admin):
    def grow():
        for n in range(30):
            payment_record(
                payer=project_a,
                payee=project_b if n % 2 else None,
                amount=n + 1,
                paid_on=dt.date(2025, 1, 1),
                actor=admin,
            )

    payment_record(payer=project_b, payee=project_a, amount=1, paid_on=dt.date(2025, 1, 1), actor=admin)
    page_queries(client_as("director"), reverse("staff:payments"), grow=grow)
    page_queries(client_as("moderator"), reverse("staff:payment_create"))
