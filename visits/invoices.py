"""The invoice (счёт на оплату) for a month's net amount between two projects (visits.settlement): both parties'
legal names, INN and bank details, the amount in figures and in words. A Russian business document, so in
Russian whatever the reader's language. Rendered by WeasyPrint with a fetcher that allows `data:` only, as the
catalog brochure and the referral cards are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string

from projects.models import Project
from visits.settlement import settlement

MONTHS = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]


def _plural(n: int, one: str, few: str, many: str) -> str:
    if 11 <= n % 100 <= 14:
        return many
    return one if n % 10 == 1 else few if 2 <= n % 10 <= 4 else many


def rubles_in_words(amount: Decimal) -> str:
    """ "Двенадцать тысяч триста сорок пять рублей 67 копеек" (num2words for the number, as invoices write it)."""
    from num2words import num2words

    amount = amount.quantize(Decimal("0.01"))
    rubles, kopecks = int(amount), int((amount - int(amount)) * 100)
    words = num2words(rubles, lang="ru")
    rubles_word = _plural(rubles, "рубль", "рубля", "рублей")
    kopecks_word = _plural(kopecks, "копейка", "копейки", "копеек")
    text = f"{words} {rubles_word} {kopecks:02d} {kopecks_word}"
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Invoice:
    number: str
    payer: Project
    payee: Project
    start: datetime.date
    end: datetime.date
    amount: Decimal

    @property
    def month_name(self) -> str:
        return f"{MONTHS[self.start.month - 1]} {self.start.year}"


def invoice_get(*, payer: Project, payee: Project, start: datetime.date, end: datetime.date) -> Invoice | None:
    """The invoice `payee` issues to `payer` for the month, or None when the netting leaves `payer` nothing to pay."""
    if payer.pk == payee.pk:
        return None
    result = settlement(start=start, end=end, project=payer)
    pair = result.pairs.get((min(payer.pk, payee.pk), max(payer.pk, payee.pk)))
    amount = pair.pays(payer.pk, payee.pk) if pair else Decimal(0)
    if amount <= 0:
        return None
    return Invoice(f"{start:%Y%m}-{payee.pk}-{payer.pk}", payer, payee, start, end, amount)


def invoice_get_by_slug(*, payer: Project, payee_slug: str, start, end) -> Invoice | None:
    payee = Project.objects.filter(slug=payee_slug).first()
    return invoice_get(payer=payer, payee=payee, start=start, end=end) if payee else None


def invoice_html(invoice: Invoice, *, issued: datetime.date) -> str:
    from django.utils import translation

    with translation.override("ru"):
        return render_to_string(
            "visits/invoice.html",
            {"invoice": invoice, "issued": issued, "words": rubles_in_words(invoice.amount)},
        )


def invoice_pdf(invoice: Invoice, *, issued: datetime.date) -> bytes:
    from weasyprint import HTML

    from projects.brochure import _no_network_fetcher

    return HTML(
        string=invoice_html(invoice, issued=issued), base_url=None, url_fetcher=_no_network_fetcher()
    ).write_pdf()
