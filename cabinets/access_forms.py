"""Forms of access requests (the public page, approving and declining) and of the bulk invitation upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.validators import clean_phone
from portal.forms import BootstrapFormMixin
from projects.models import Project, ProjectRight

HONEYPOT = "website"


class AccessRequestForm(BootstrapFormMixin, forms.Form):
    """The public "request access" form. `website` is a honeypot: hidden from people by a CSS class (not an
    inline style, CSP), left out of the tab order and of autofill; a bot that fills it is told "thank you"
    and nothing is stored. A plain form, not a ModelForm: the model's one-open-request-per-email constraint
    must not refuse a second request — the service merges it."""

    company = forms.CharField(
        label=_("Company or project"),
        max_length=200,
        help_text=_("The business of the Misty ecosystem you work for."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=2000,
        required=False,
        help_text=_("Optional: your position, what you would like to do in the portal."),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT]

    def _require_text(self, name: str, message) -> str:
        value = " ".join(self.cleaned_data[name].split())
        if not value:
            raise forms.ValidationError(message)
        return value

    def clean_company(self):
        return self._require_text("company", _("Enter your company or project."))

    def clean_name(self):
        return self._require_text("name", _("Enter your name."))

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT))


class AccessRequestApproveForm(BootstrapFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.REPRESENTATIVE)
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.filter(active=True).order_by("name").only("pk", "name"),
        required=False,
        empty_label=_("Choose a project"),
        help_text=_("For a representative: the project they work for."),
    )
    right = forms.ChoiceField(
        label=_("Right in the project"), choices=ProjectRight.choices, initial=ProjectRight.MANAGER
    )

    def clean_first_name(self):
        name = " ".join(self.cleaned_data["first_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the person's name."))
        return name

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.REPRESENTATIVE and not data.get("project") and "project" not in self.errors:
            self.add_error("project", _("A representative needs a project."))
        if data.get("role") in (Role.ADMIN, Role.MODERATOR, Role.DIRECTOR) and data.get("project"):
            self.add_error("project", _("Staff are not members of projects: leave the project empty."))
        return data

    def memberships(self) -> list:
        project = self.cleaned_data.get("project")
        return [(project, self.cleaned_data["right"])] if project else []


class AccessRequestDeclineForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        help_text=_("The requester receives it by email, as written."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the request is declined."))
        return reason


class UserImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An .xlsx workbook or a .csv file, up to 2 MB and 1,000 rows."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
