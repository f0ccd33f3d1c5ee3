"""The period picker of the dashboards and the staff analytics (visits.analytics.make_period)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.filters import PlainSelect
from visits.analytics import DEFAULT_PERIOD, MAX_DAYS, Period, make_period

PERIOD_CHOICES = [
    ("7", _("7 days")),
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("quarter", _("This quarter")),
    ("year", _("This year")),
    ("custom", _("Dates")),
]
EARLIEST = datetime.date(2000, 1, 1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodForm(forms.Form):
    """`?period=30`, or `?period=custom&start=2026-01-01&end=2026-03-31`. An invalid choice shows its error and
    the default period, never an empty page."""

    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, required=False, widget=PlainSelect)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput(attrs={"class": "form-control"}))
    end = forms.DateField(label=_("To"), required=False, widget=DateInput(attrs={"class": "form-control"}))

    def __init__(self, data=None, *, today: datetime.date, **kwargs):
        self.today = today
        super().__init__(data if data and any(k in data for k in ("period", "start", "end")) else None, **kwargs)
        self.fields["period"].widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        kind = data.get("period") or DEFAULT_PERIOD
        start, end = data.get("start"), data.get("end")
        if kind == "custom" or (start and end and not data.get("period")):
            kind = "custom"
            if not start or not end:
                raise forms.ValidationError(_("Choose both dates of the period."))
            if start > end:
                raise forms.ValidationError(_("The period's start is after its end."))
            if start < EARLIEST or (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(_("Choose a period of at most three years, from 2000 on."))
        data["period"] = kind
        return data

    def chosen(self) -> Period:
        """The period asked for, or the default one when nothing valid was asked."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return make_period(data["period"], today=self.today, start=data.get("start"), end=data.get("end"))
        return make_period(DEFAULT_PERIOD, today=self.today)


class ProjectPickerForm(forms.Form):
    project = forms.TypedChoiceField(label=_("Project"), coerce=int, required=False, widget=PlainSelect)

    def __init__(self, data=None, *, projects, **kwargs):
        super().__init__(data, **kwargs)
        field = self.fields["project"]
        field.choices = [("", _("The whole ecosystem")), *projects]
        field.widget.attrs["class"] = "form-select"
