"""Forms of the owner's lot pages: the lot's terms and files, the budget calculator's three figures, the close
comment.

The checks are the service's (`offers.services.clean_terms`), run here first so that each problem shows on
its field and the form keeps what was typed; the service checks everything again and its refusal becomes a
form error. The files are judged by `portal.uploads.check_files` against `offers.attachments.LOT_ATTACHMENTS`
(docs/RECIPES.md "Add an upload"): a refused file is an error on the files field, and nothing is stored.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from offers.attachments import LOT_ATTACHMENTS
from offers.budget import LotBudget, lot_budget
from offers.models import MAX_CASHBACK_POINTS, MAX_QUOTA, BenefitType, Gender, Lot
from portal.forms import BootstrapFormMixin, MultipleFileField, MultipleFileInput
from portal.uploads import check_files


def _label(name: str):
    return Lot._meta.get_field(name).verbose_name


class MoneyField(forms.DecimalField):
    """Roubles as a phone types them: "1 500,50" as well as "1500.50" (a text box with the decimal keypad)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u00a0", "").replace(",", ".")
        return super().to_python(value)


def _whole(*, minimum: int, maximum: int | None = None, **kwargs) -> forms.IntegerField:
    attrs = {"inputmode": "numeric", "min": minimum}
    if maximum is not None:
        attrs["max"] = maximum
    return forms.IntegerField(min_value=minimum, max_value=maximum, widget=forms.NumberInput(attrs=attrs), **kwargs)


def _date(name: str) -> forms.DateField:
    return forms.DateField(label=_label(name), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class LotForm(BootstrapFormMixin, forms.Form):
    """Every term of a lot. `terms()` is what `lot_create` / `lot_update` take."""

    title = forms.CharField(
        label=_label("title"),
        max_length=200,
        help_text=_("What partners see first, e.g. “100 new guests for the lounge”."),
    )
    description = forms.CharField(
        label=_label("description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Whom you are looking for and what the partner should say about you."),
    )
    benefit_type = forms.ChoiceField(label=_label("benefit_type"), choices=[("", _("Choose…")), *BenefitType.choices])
    benefit_value = MoneyField(
        label=_label("benefit_value"), help_text=_("Percent, roubles or points, as the benefit says.")
    )
    quota = _whole(
        minimum=1,
        maximum=MAX_QUOTA,
        label=_label("quota"),
        help_text=_("How many new clients partners may bring in all."),
    )
    reward = MoneyField(label=_label("reward"), help_text=_("What you pay the partner for each new client it brings."))
    cashback_points = _whole(
        minimum=0,
        maximum=MAX_CASHBACK_POINTS,
        label=_label("cashback_points"),
        required=False,
        initial=0,
        help_text=_("Loyalty points each new client gets; 0 for none."),
    )
    age_from = _whole(minimum=14, maximum=100, label=_label("age_from"), required=False)
    age_to = _whole(minimum=14, maximum=100, label=_label("age_to"), required=False)
    gender = forms.ChoiceField(label=_label("gender"), choices=Gender.choices, initial=Gender.ANY)
    segment = forms.CharField(
        label=_label("segment"),
        max_length=300,
        required=False,
        help_text=_("In a few words, e.g. “students”, “young parents”, “office workers nearby”."),
    )
    valid_from = _date("valid_from")
    valid_until = _date("valid_until")
    files = MultipleFileField(
        label=_("Attach files"),
        help_text=LOT_ATTACHMENTS.help_text,
        widget=MultipleFileInput(attrs={"accept": LOT_ATTACHMENTS.accept}),
    )
    # Ids of the attached files to take off: a checkbox beside each file (the template draws them).
    remove = forms.Field(required=False, widget=forms.MultipleHiddenInput)

    # Sections of the page, in order: (title, fields, fields that share a row on a wider screen).
    SECTIONS = (
        (_("The offer"), ("title", "description", "benefit_type", "benefit_value")),
        (_("Quota and reward"), ("quota", "reward", "cashback_points")),
        (_("Audience"), ("age_from", "age_to", "gender", "segment")),
        (_("Validity"), ("valid_from", "valid_until")),
    )
    HALF_WIDTH = frozenset({"benefit_type", "benefit_value", "age_from", "age_to", "valid_from", "valid_until"})
    BUDGET_INPUTS = frozenset({"quota", "reward", "cashback_points"})

    FILE_FIELDS = frozenset({"files", "remove"})

    def __init__(self, *args, budget_url: str = "", attachments=(), **kwargs):
        """`attachments`: the files the lot's terms hold now (its working set: `offers.attachments`)."""
        self.attachments = list(attachments)  # before the mixin's __init__, which validates a bound form
        super().__init__(*args, **kwargs)
        for name in self.BUDGET_INPUTS:
            # The live calculator (htmx, no script of ours): each figure, as it is typed, asks for the panel
            # with all three figures (and never the rest of the form).
            self.fields[name].widget.attrs.update(
                {
                    "data-budget-input": "",
                    "hx-get": budget_url,
                    "hx-trigger": "input changed delay:300ms",
                    "hx-include": "[data-budget-input]",
                    "hx-target": "#lot-budget",
                    "hx-swap": "innerHTML",
                    "hx-sync": "#lot-budget:replace",
                }
            )
        self.fields["title"].widget.attrs["autocomplete"] = "off"

    def sections(self):
        return [(title, [(self[name], name in self.HALF_WIDTH) for name in names]) for title, names in self.SECTIONS]

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("Give the lot a title."))
        return title

    def clean_cashback_points(self):
        return self.cleaned_data.get("cashback_points") or 0

    def attachment_rows(self):
        """(attachment, ticked for removal) for each attached file, ticks kept when the form is shown again."""
        ticked = {str(value) for value in (self["remove"].value() or ())} if self.is_bound else set()
        return [(a, str(a.pk) in ticked) for a in self.attachments]

    def clean_remove(self):
        attached = {str(a.pk): a.pk for a in self.attachments}
        values = self.cleaned_data.get("remove") or []
        if any(str(value) not in attached for value in values):
            raise ValidationError(_("A file to remove is not attached to this lot any more: reload the page."))
        return {attached[str(value)] for value in values}

    def clean(self):
        data = super().clean()
        files = data.get("files") or []
        if files:
            kept = len(self.attachments) - len(set(data.get("remove") or ()))
            try:
                data["files"] = check_files(files, LOT_ATTACHMENTS, already=kept)
            except ValidationError as refused:
                self.add_error("files", refused)
        age_from, age_to = data.get("age_from"), data.get("age_to")
        if age_from and age_to and age_to < age_from:
            self.add_error("age_to", _("The audience's age “to” is below its age “from”."))
        valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("valid_until", _("The lot ends before it starts: check the dates."))
        value = data.get("benefit_value")
        if value is not None:
            if value <= 0:
                self.add_error("benefit_value", _("Give the client's benefit a value."))
            elif data.get("benefit_type") == BenefitType.DISCOUNT_PERCENT and value > 100:
                self.add_error("benefit_value", _("A discount is at most 100%."))
        return data

    def terms(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.FILE_FIELDS}

    def new_files(self) -> list:
        """The checked uploads (`portal.uploads.CheckedUpload`) to attach."""
        return list(self.cleaned_data.get("files") or [])

    def removed(self) -> set[int]:
        return set(self.cleaned_data.get("remove") or ())


class LotBudgetForm(forms.Form):
    """The calculator's figures, as the lot form has them at the moment (possibly half typed)."""

    quota = forms.IntegerField(min_value=0, max_value=MAX_QUOTA, required=False)
    reward = MoneyField(required=False)
    cashback_points = forms.IntegerField(min_value=0, max_value=MAX_CASHBACK_POINTS, required=False)

    def budget(self) -> LotBudget | None:
        """The budget, or None while the quota or the reward is missing or not a number yet."""
        if not self.is_valid():
            return None
        quota, reward = self.cleaned_data.get("quota"), self.cleaned_data.get("reward")
        if quota is None or reward is None:
            return None
        return lot_budget(quota=quota, reward=reward, cashback_points=self.cleaned_data.get("cashback_points") or 0)


class LotCloseForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: why the lot closes. It stays in the lot's history."),
    )
