"""Forms of the staff people pages: invite, edit a card, projects and rights, a reason to block or unblock.

The person's contacts reuse the profile form (`cabinets.forms.ProfileForm`): the same name, phone and
time-zone fields and checks as people's own profile, whatever that form learns later. Nothing here saves:
the views hand `cleaned_data` to `accounts.services`, whose refusals come back as form errors.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from cabinets.forms import ProfileForm
from portal.filters import PlainSelect
from portal.forms import BootstrapFormMixin
from projects.models import ProjectRight

PERSON_FIELDS = ["email", "first_name", "last_name", "phone", "role", "language", "time_zone"]
MORE_ROWS = 3  # rows the "more projects" button adds (no JavaScript needed)
MAX_PROJECT_ROWS = 500


class PersonForm(ProfileForm):
    """Someone else's contacts, email and role, as staff type them (invite and edit)."""

    class Meta(ProfileForm.Meta):
        fields = PERSON_FIELDS
        help_texts = {
            **getattr(ProfileForm.Meta, "help_texts", {}),
            "first_name": _("The name the portal greets the person by."),
            "email": _("The person signs in with it."),
        }
        widgets = {
            **getattr(ProfileForm.Meta, "widgets", {}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "role": PlainSelect(attrs={"data-role-select": ""}),
        }

    def clean_first_name(self):
        name = " ".join(self.cleaned_data["first_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the person's name."))
        return name

    def _post_clean(self):
        # Validate the email's uniqueness and the choices like a ModelForm, without writing the typed values
        # onto the instance: the services compare with the stored row and must see the old role.
        instance, self.instance = self.instance, User(pk=self.instance.pk)
        self.instance._state.adding = instance._state.adding
        try:
            super()._post_clean()
        finally:
            self.instance = instance


class InviteForm(PersonForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("instance", User())
        kwargs.setdefault("initial", {"role": Role.REPRESENTATIVE})
        super().__init__(*args, **kwargs)


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit journal."),
        error_messages={"required": _("Say why.")},
    )


class ProjectRightForm(forms.Form):
    """One row: a project (empty = no row) and the person's right in it. Not on BootstrapFormMixin: it
    validates while it is built, before the project choices are set here."""

    project = forms.ChoiceField(label=_("Project"), required=False, widget=PlainSelect(attrs={"class": "form-select"}))
    right = forms.ChoiceField(
        label=_("Right"),
        choices=ProjectRight.choices,
        initial=ProjectRight.MANAGER,
        widget=PlainSelect(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, project_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", "—"), *project_choices]


class BaseProjectRightFormSet(forms.BaseFormSet):
    """Projects and rights of a representative: rows with an empty project are skipped; a project named
    twice is an error. `projects` are the projects staff may choose (one query, shared by every row)."""

    def __init__(self, *args, projects, **kwargs):
        self.projects = {str(project.pk): project for project in projects}
        inactive = _("inactive")
        choices = [
            (pk, project.name if project.active else f"{project.name} ({inactive})")
            for pk, project in self.projects.items()
        ]
        kwargs.setdefault("prefix", "projects")
        super().__init__(*args, form_kwargs={"project_choices": choices}, **kwargs)

    def clean(self):
        seen = set()
        for form in self.forms:
            project = form.cleaned_data.get("project") if hasattr(form, "cleaned_data") else None
            if not project:
                continue
            if project in seen:
                form.add_error("project", _("This project is already chosen above."))
            seen.add(project)

    def memberships(self) -> list:
        """[(project, right)] of the filled rows, for `accounts.services`."""
        return [
            (self.projects[form.cleaned_data["project"]], form.cleaned_data["right"])
            for form in self.forms
            if form.cleaned_data.get("project")
        ]


ProjectRightFormSet = forms.formset_factory(
    ProjectRightForm,
    formset=BaseProjectRightFormSet,
    extra=0,
    max_num=MAX_PROJECT_ROWS,
    absolute_max=MAX_PROJECT_ROWS,
    validate_max=True,
)


def project_rows(*, data=None, projects, initial=(), more: bool = False):
    """The projects formset: bound to `data`, or unbound with `initial` rows plus empty ones to fill.

    "More projects" (`more`) re-shows what was typed with MORE_ROWS more empty rows, validating nothing."""
    if data is not None and not more:
        return ProjectRightFormSet(data, projects=projects)
    if data is not None:
        initial = rows_typed(data)
    extra = MORE_ROWS if more or not initial else 1
    formset_class = forms.formset_factory(
        ProjectRightForm,
        formset=BaseProjectRightFormSet,
        extra=extra,
        max_num=MAX_PROJECT_ROWS,
        absolute_max=MAX_PROJECT_ROWS,
    )
    return formset_class(initial=list(initial), projects=projects)


def rows_typed(data) -> list[dict]:
    """The rows of a posted projects formset as typed, filled ones only (for "more projects")."""
    rows = []
    try:
        total = min(int(data.get("projects-TOTAL_FORMS", 0)), MAX_PROJECT_ROWS)
    except ValueError:
        total = 0
    for index in range(total):
        project = data.get(f"projects-{index}-project", "")
        if project:
            rows.append({"project": project, "right": data.get(f"projects-{index}-right", ProjectRight.MANAGER)})
    return rows
