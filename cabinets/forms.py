from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.time_zones import offered_zones
from accounts.validators import clean_phone
from portal.forms import BootstrapFormMixin


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "language", "time_zone"]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            # static/portal/select-filter.js puts a search box above it (a city, a country or "UTC+5").
            "time_zone": forms.Select(attrs={"data-select-filter": _("Find a city, a country or an offset (UTC+5)")}),
        }
        help_texts = {"first_name": _("The name the portal greets you by.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        if self.instance.time_zone not in offered_zones():
            # A zone no longer offered (an id from before the list): ask for one rather than let the browser
            # preselect the first city and move the person to Kaliningrad on their next save.
            field = self.fields["time_zone"]
            field.choices = [("", _("Choose your time zone")), *field.choices]
            self.initial["time_zone"] = ""

    def clean_first_name(self):
        name = " ".join(self.cleaned_data["first_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])
