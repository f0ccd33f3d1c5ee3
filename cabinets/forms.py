from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.forms import BootstrapFormMixin


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "language", "time_zone"]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = [c for c in phone if c.isdigit()]
        if phone and not (7 <= len(digits) <= 15 and set(phone) <= set("+0123456789 -()")):
            raise forms.ValidationError(_("Enter a phone number: digits, spaces, +, - and brackets, 7 to 15 digits."))
        return phone
