"""Forms of the staff's visits and ledger pages: the visits import, a payment, a dispute and its resolution."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapFormMixin
from portal.uploads import check_files
from projects.models import Project
from visits.payments import PAYMENT_DOCUMENTS


class VisitImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An .xlsx workbook or a .csv file, up to 30 MB and 100,000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class PaymentForm(BootstrapFormMixin, forms.Form):
    """Staff record that a project paid another (or Misty). The rules are `visits.payments.payment_record`'s."""

    payer = forms.ModelChoiceField(label=_("Payer"), queryset=Project.objects.order_by("name"))
    payee = forms.ModelChoiceField(
        label=_("Payee"),
        queryset=Project.objects.order_by("name"),
        required=False,
        empty_label=_("Misty (the platform's commission)"),
    )
    amount = forms.DecimalField(label=_("Amount, ₽"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    period_from = forms.DateField(
        label=_("For the period from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_to = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=PAYMENT_DOCUMENTS.help_text,
        widget=forms.ClearableFileInput(attrs={"accept": PAYMENT_DOCUMENTS.accept}),
    )

    def clean(self):
        data = super().clean()
        document = data.get("document")
        data["checked_document"] = None
        if document:
            try:
                data["checked_document"] = check_files([document], PAYMENT_DOCUMENTS)[0]
            except forms.ValidationError as exc:
                self.add_error("document", exc)
        return data


class DisputeForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why should this visit not count?"),
        max_length=2000,
        help_text=_("The other side of the deal and Misty staff read it."),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
    )


class ResolveForm(BootstrapFormMixin, forms.Form):
    UPHOLD, REJECT = "uphold", "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(UPHOLD, _("Uphold: reverse the visit")), (REJECT, _("Reject: the visit stays"))],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("Answer to both sides"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )


class MonthForm(forms.Form):
    """`?month=2026-10`: the settlement's calendar month. Default (or an invalid value, with its error): last month."""

    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(format="%Y-%m", attrs={"type": "month", "class": "form-control"}),
    )

    def __init__(self, data=None, *, today, **kwargs):
        self.today = today
        super().__init__(data if data and "month" in data else None, **kwargs)

    def clean_month(self):
        month = self.cleaned_data.get("month")
        if month and month.replace(day=1) > self.today.replace(day=1):
            raise forms.ValidationError(_("Choose this month or an earlier one."))
        return month

    def bounds(self):
        from visits.settlement import month_bounds, previous_month

        if self.is_bound and self.is_valid() and self.cleaned_data.get("month"):
            return month_bounds(self.cleaned_data["month"])
        return previous_month(self.today)
