"""Payments (SPEC §3 "Ledger": staff record the fact of payment; money does not pass through the portal).

`payment_record` writes the payment and its two ledger legs in one transaction (`txn`): the payer +amount against
the payee, the payee −amount against the payer (Misty, the commission's account, is the payee `None`). What the
payer owed the payee is negative on the payer's side of the pair and positive on the payee's, so a payment moves
the pair's balance toward zero — a payment larger than the debt leaves the payer in credit, as it should.
Both sides' representatives are told (`offers.payment.recorded`). The document (a payment order, an act) is
an upload under `portal.uploads`' rules.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import auditlog
from accounts.capabilities import Capability, has_capability
from accounts.models import Role, User, UserStatus
from notifications.services import notify
from offers.events import PAYMENT_RECORDED
from portal.exceptions import ApplicationError
from portal.uploads import ATTACHMENT_KINDS, MB, CheckedUpload, UploadPolicy, discard_on_failure, store_upload
from projects.models import Project
from visits import events
from visits.models import EntryKind, LedgerEntry, Payment

PAYMENT_DOCUMENTS = UploadPolicy(kinds=ATTACHMENT_KINDS, max_bytes=10 * MB, max_files=1)
DOCUMENT_PREFIX = "visits/payments"
MAX_AMOUNT = Decimal("1000000000000")  # ₽: the column's 14 digits
MISTY = "Misty"


def payment_record(
    *,
    payer: Project,
    payee: Project | None,
    amount,
    paid_on: datetime.date,
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
    note: str = "",
    document: CheckedUpload | None = None,
    actor: User,
) -> Payment:
    """Record that `payer` paid `payee` (None: Misty) `amount` ₽ on `paid_on`, for a period, with a document."""
    with discard_on_failure() as stored:
        return _payment_record(
            payer=payer,
            payee=payee,
            amount=amount,
            paid_on=paid_on,
            period_from=period_from,
            period_to=period_to,
            note=note,
            document=document,
            actor=actor,
            stored=stored,
        )


def _clean_amount(amount) -> Decimal:
    try:
        value = Decimal(str(amount).replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0 or value >= MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise ApplicationError(_("The amount must be a positive number of rubles, with at most two decimals."))
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def _payment_record(
    *, payer, payee, amount, paid_on, period_from, period_to, note, document, actor, stored: list[str]
) -> Payment:
    if not has_capability(actor, Capability.RECORD_VISITS):
        raise ApplicationError(_("Only Misty staff who record visits and payments can record a payment."))
    value = _clean_amount(amount)
    if payee is not None and payee.pk == payer.pk:
        raise ApplicationError(_("A project cannot pay itself: choose another payee."))
    today = timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    if paid_on > today:
        raise ApplicationError(_("The payment date is in the future."))
    if (period_from is None) != (period_to is None):
        raise ApplicationError(_("Give both ends of the period, or neither."))
    if period_from is not None and period_from > period_to:
        raise ApplicationError(_("The period ends before it starts."))
    name = ""
    if document is not None:
        name = store_upload(document, prefix=DOCUMENT_PREFIX)
        stored.append(name)
    payment = Payment.objects.create(
        payer=payer,
        payee=payee,
        amount=value,
        paid_on=paid_on,
        period_from=period_from,
        period_to=period_to,
        note=" ".join(note.split())[:500],
        document=name,
        document_name=document.display_name if document is not None else "",
        recorded_by=actor,
    )
    txn = uuid.uuid4()
    payee_id = payee.pk if payee is not None else None
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                txn=txn,
                kind=EntryKind.PAYMENT,
                project_id=payer.pk,
                counterparty_id=payee_id,
                amount=value,
                day=paid_on,
                payment=payment,
            ),
            LedgerEntry(
                txn=txn,
                kind=EntryKind.PAYMENT,
                project_id=payee_id,
                counterparty_id=payer.pk,
                amount=-value,
                day=paid_on,
                payment=payment,
            ),
        ]
    )
    payee_name = payee.name if payee is not None else MISTY
    auditlog.record(
        actor=actor,
        event=events.PAYMENT_RECORDED,
        obj=payment,
        project=payer,
        object_text=f"{payer.name} → {payee_name}: {value} ₽"[:255],
        changes={
            "payer": payer.name,
            "payee": payee_name,
            "amount": value,
            "paid_on": paid_on,
            "period_from": period_from,
            "period_to": period_to,
            "note": payment.note,
            "document_name": payment.document_name,
        },
    )
    _tell(payment, payer=payer, payee=payee, payee_name=payee_name)
    return payment


def _tell(payment: Payment, *, payer: Project, payee: Project | None, payee_name: str) -> None:
    """Both sides' representatives, each with a link to their own cabinet's ledger (Misty, when paid, is the
    staff who recorded it). The templates show the day only, in the reader's time zone: `paid_at` is noon of that
    day in Moscow, the same date from UTC−9 to UTC+12."""
    moment = datetime.datetime.combine(payment.paid_on, datetime.time(12, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
    context = {"payer_name": payer.name, "payee_name": payee_name, "amount": payment.amount, "paid_at": moment}
    told: set[int] = set()
    for project in (payer, payee):
        if project is None:
            continue
        team = [user for user in _representatives(project) if user.pk not in told]
        told.update(user.pk for user in team)
        notify(recipients=team, event=PAYMENT_RECORDED.code, context=context, link=f"/cabinet/{project.slug}/ledger/")


def _representatives(project: Project) -> list[User]:
    return list(
        User.objects.filter(memberships__project=project, role=Role.REPRESENTATIVE).exclude(status=UserStatus.BLOCKED)
    )
