"""The counter page's form (cabinets/views/counter.py): what a cashier types. The checks that matter — a real
code of this project's deal, a phone or a card, amounts in range — are `visits.services.clean_visit`'s, so the
counter, the import and the API refuse the same things with the same words."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapFormMixin


class CounterForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Referral code"),
        max_length=40,
        error_messages={"required": _("Type or scan the code from the client's card.")},
        help_text=_("From the client's card or poster, e.g. ABC-789: any case, with or without the dash."),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "enterkeyhint": "next",
                "class": "form-control-lg font-monospace text-uppercase",
            }
        ),
    )
    phone = forms.CharField(
        label=_("Client's phone"),
        max_length=40,
        required=False,
        help_text=_("Only a keyed hash of the number is kept, never the number."),
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off", "placeholder": "+7 916 123-45-67"}
        ),
    )
    card = forms.CharField(
        label=_("or the client's loyalty card number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    check_amount = forms.CharField(
        label=_("Check amount, ₽"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": "2 500"}),
    )
    points_spent = forms.CharField(
        label=_("Points the client spent"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "0"}),
    )

    def clean(self):
        data = super().clean()
        phone, card = (data.get("phone") or "").strip(), (data.get("card") or "").strip()
        if not phone and not card:
            self.add_error("phone", _("Type the client's phone number (or the loyalty card number)."))
        elif phone and card:
            self.add_error("card", _("Give the phone or the card, not both: each stands for a client of its own."))
        return data

    # Which field a refusal of `visits.services` belongs to (its stable code → the field shown in red).
    REFUSAL_FIELDS = {
        "unknown_code": "code",
        "deal_completed": "code",
        "deal_cancelled": "code",
        "lot_paused": "code",
        "quota_reached": "code",
        "visit_before_deal": "code",
        "invalid_client_phone": "phone",
        "invalid_client_card": "card",
        "client_counted": "phone",
        "invalid_amount": "check_amount",
        "invalid_points": "points_spent",
    }

    def add_refusal(self, code: str, message) -> None:
        field = self.REFUSAL_FIELDS.get(code)
        if field == "phone" and code == "client_counted" and not self.cleaned_data.get("phone"):
            field = "card"
        self.add_error(field, message)
