"""Referral cards (SPEC §7.3): what a partner hands its clients — a sheet of business-card-sized cards to cut
(8 on an A4 page) or an A4 poster for the wall. Each shows the owner's name and logo, what the client gets,
the deal's code in large letters and as a QR code, until when, and where to go.

The QR code is drawn in-process by segno (pure Python, an SVG inlined as a `data:` URI); WeasyPrint renders
with a fetcher that allows `data:` only, as the catalog brochure does (projects/brochure.py), so nothing is
fetched while rendering. The QR holds the code itself: the counter page's scanner and any phone camera read it.
"""

from __future__ import annotations

import base64
import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import segno
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from offers import codes
from offers.models import BenefitType, Deal
from projects.brochure import _logo_uri, _no_network_fetcher

STYLESHEET = Path(__file__).with_name("cards.css")
KINDS = ("cards", "poster")
CARDS_PER_SHEET = 8


def qr_data_uri(text: str) -> str:
    """`text` as a QR code (error correction M, quiet zone included), an SVG `data:` URI."""
    svg = segno.make(text, error="m", micro=False).svg_inline(scale=4, border=2, dark="#000", light="#fff")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def benefit_text(terms: dict) -> str:
    """What the client gets, as a card says it: "Discount 20 %", "Discount 1 000 ₽", "500 bonus points"."""
    kind = terms.get("benefit_type")
    try:
        value = Decimal(str(terms.get("benefit_value")))
    except (InvalidOperation, TypeError):
        return ""
    shown = formats.number_format(
        value.normalize() if value == value.to_integral() else value, use_l10n=True, force_grouping=True
    )
    if kind == BenefitType.DISCOUNT_PERCENT:
        return pgettext("client benefit on a card", "Discount %(value)s %%") % {"value": shown}
    if kind == BenefitType.DISCOUNT_FIXED:
        return pgettext("client benefit on a card", "Discount %(value)s ₽") % {"value": shown}
    return pgettext("client benefit on a card", "Bonus points: %(value)s") % {"value": shown}


def render_card(*, deal: Deal, kind: str, language: str) -> bytes:
    """The PDF of a deal's referral cards (`kind` "cards") or poster ("poster"), in `language`."""
    from weasyprint import CSS, HTML

    if kind not in KINDS:
        raise ValueError(f"unknown card kind {kind!r}")
    owner = deal.owner
    terms = deal.terms or {}
    with translation.override(language):
        until = terms.get("valid_until")
        until = formats.date_format(datetime.date.fromisoformat(until)) if isinstance(until, str) else ""
        context = {
            "kind": kind,
            "owner": owner,
            "partner": deal.partner,
            "title": terms.get("title") or deal.lot.title,
            "benefit": benefit_text(terms),
            "code": codes.display(deal.code),
            "qr": qr_data_uri(deal.code),
            "logo": _logo_uri(owner),
            "initial": owner.name[:1].upper(),
            "until": until,
            "show_it": _("Show this card at the counter"),
            "cards": range(CARDS_PER_SHEET if kind == "cards" else 1),
            "language": language,
        }
        html = render_to_string("offers/referral_card.html", context)
        fetcher = _no_network_fetcher()
        document = HTML(string=html, base_url=None, url_fetcher=fetcher)
        stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[stylesheet])
