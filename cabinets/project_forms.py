"""Forms of a project's card: staff edit all of it, a project's manager the public half of their own.

The checks are the services' (projects.services, projects.validators, projects.logos), run here first so
each problem shows on its field and the form keeps what was typed. A valid form's `logo` is a
`PreparedLogo` (checked and converted, not stored yet) or None.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from accounts.validators import clean_phone
from portal.forms import BootstrapFormMixin
from projects.logos import LOGO_FORMATS, LOGO_MAX_BYTES, LOGO_MAX_SIDE, prepare_logo
from projects.models import Project
from projects.services import REPRESENTATIVE_FIELDS, RESERVED_SLUGS, STAFF_FIELDS
from projects.validators import bank_details_errors, digits_only, validate_inn

LOGO_ACCEPT = ",".join(f"image/{kind.lower()}" for kind in sorted(LOGO_FORMATS))


class ProjectCardFormBase(BootstrapFormMixin, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https", max_length=200)
    logo = forms.FileField(
        label=_("logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": LOGO_ACCEPT}),
        help_text=lazy(
            lambda: (
                _(
                    "PNG, JPEG, WebP or GIF up to %(size)s; "
                    "it is converted to PNG and fitted within %(side)s×%(side)s px."
                )
                % {"size": filesizeformat(LOGO_MAX_BYTES), "side": LOGO_MAX_SIDE}
            ),
            str,
        )(),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.instance and self.instance.logo):
            del self.fields["remove_logo"]

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        return prepare_logo(upload) if upload else None

    def clean_contact_phone(self):
        return clean_phone(" ".join(self.cleaned_data["contact_phone"].split()))

    def card_data(self) -> dict:
        """What the service writes (the card fields, without the logo)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class StaffProjectForm(ProjectCardFormBase):
    """Create or edit a project in the staff cabinet (administrators)."""

    class Meta:
        model = Project
        fields = [*STAFF_FIELDS, "active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.Textarea(attrs={"rows": 2}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "inn": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "bik": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "settlement_account": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "correspondent_account": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }
        help_texts = {
            "slug": _("The project's address in the portal: lower-case Latin letters, digits and hyphens."),
            "client_points": _("The balance the Misty loyalty app holds for the project's clients."),
            "inn": _("10 digits for an organisation, 12 for a sole trader."),
        }

    # Sections of the page, in order: (title, fields).
    SECTIONS = (
        (_("Card"), ("name", "slug", "category", "description", "audience", "average_check", "client_points")),
        (_("Logo"), ("logo", "remove_logo")),
        (_("Contacts"), ("contact_name", "contact_phone", "contact_email", "address", "website")),
        (_("Legal data"), ("legal_name", "inn")),
        (_("Bank details"), ("bank_name", "bik", "settlement_account", "correspondent_account")),
        (_("Status"), ("active",)),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        if self.instance.pk:
            self.fields["slug"].help_text = _(
                "Changing it changes the project's addresses: links saved with the old one stop working."
            )

    def sections(self):
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in self.SECTIONS]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Enter the project's name."))
        return name

    def clean_slug(self):
        slug = self.cleaned_data["slug"].strip().lower()
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This slug is reserved by the portal: choose another."))
        return slug

    def clean_inn(self):
        inn = digits_only(self.cleaned_data["inn"])
        if inn:
            validate_inn(inn)
        return inn

    def clean_bik(self):
        return digits_only(self.cleaned_data["bik"])

    def clean_settlement_account(self):
        return digits_only(self.cleaned_data["settlement_account"])

    def clean_correspondent_account(self):
        return digits_only(self.cleaned_data["correspondent_account"])

    def clean(self):
        data = super().clean()
        bank = {f: data.get(f) for f in ("bik", "settlement_account", "correspondent_account")}
        if all(value is not None for value in bank.values()):
            for field, error in bank_details_errors(**bank).items():
                self.add_error(field, error)
        return data


class RepresentativeProjectForm(ProjectCardFormBase):
    """A project's manager edits how their project presents itself in the catalog."""

    class Meta:
        model = Project
        fields = list(REPRESENTATIVE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.Textarea(attrs={"rows": 2}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }
