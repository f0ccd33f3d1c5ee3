from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import AuditedModelAdmin
from projects.models import Membership, Project
from projects.services import RESERVED_SLUGS, STAFF_FIELDS
from projects.validators import bank_details_errors, digits_only, validate_inn


class ProjectAdminForm(forms.ModelForm):
    """The same rules as the staff cabinet's form (cabinets/project_forms.py)."""

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Project
        fields = [*STAFF_FIELDS, "active"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This slug is reserved by the portal: choose another."))
        return slug

    def clean_inn(self):
        inn = digits_only(self.cleaned_data["inn"])
        if inn:
            validate_inn(inn)
        return inn

    def clean(self):
        data = super().clean()
        bank = {f: digits_only(data.get(f) or "") for f in ("bik", "settlement_account", "correspondent_account")}
        data.update(bank)
        for field, error in bank_details_errors(**bank).items():
            self.add_error(field, error)
        return data


@admin.register(Project)
class ProjectAdmin(AuditedModelAdmin):
    form = ProjectAdminForm
    list_display = ["name", "slug", "category", "active", "created_at"]
    list_filter = ["active", "category"]
    search_fields = ["name", "slug", "legal_name", "inn"]
    prepopulated_fields = {"slug": ["name"]}
    show_full_result_count = False
    # A logo is uploaded in the staff cabinet, where it is checked and re-encoded (projects.logos).
    readonly_fields = ["logo", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "category", "active", "logo"]}),
        (
            _("Card"),
            {"fields": ["description", "audience", "average_check", "client_points"]},
        ),
        (_("Contacts"), {"fields": ["contact_name", "contact_phone", "contact_email", "address", "website"]}),
        (_("Legal data"), {"fields": ["legal_name", "inn"]}),
        (_("Bank details"), {"fields": ["bank_name", "bik", "settlement_account", "correspondent_account"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["user", "project", "right", "created_at"]
    list_filter = ["right"]
    list_select_related = ["user", "project"]
    search_fields = ["user__email", "project__name"]
    autocomplete_fields = ["user", "project"]
    show_full_result_count = False
