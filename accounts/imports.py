"""Bulk invitation from a file (staff → People → Import), on the import base (portal/imports.py).

One row per membership: a representative who works for several projects appears on several rows with the
same email, one project and right on each; the rows of one email are merged into one invitation and must
agree on the person (name, phone, role, language). A staff member has one row and no project. Checked as
a whole — an email that already has an account, a project that does not exist, the same person and
project twice — and then every person is invited through `accounts.services.user_invite` (its guards,
journal entry and invitation email), all in one transaction: one refused person and nobody is invited.
"""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import auditlog
from accounts import events as audit_events
from accounts.models import STAFF_ROLES, Language, Role, User
from accounts.validators import clean_phone
from portal.exceptions import ApplicationError
from portal.imports import ImportColumn, Importer, RowError, RowFailed, ValidRow
from projects.models import Project, ProjectRight

LOOKUP_CHUNK = 500


def _choice_names(choices) -> dict[str, str]:
    """{code or label in any of the portal's languages (case-insensitive): code}."""
    names = {}
    for code, label in choices:
        names[str(code).casefold()] = code
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names[str(label).casefold()] = code
    return names


class InvitationRowForm(forms.Form):
    email = forms.EmailField(max_length=254)
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100, required=False)
    phone = forms.CharField(max_length=32, required=False)
    role = forms.CharField(required=False)
    project = forms.CharField(required=False)
    right = forms.CharField(required=False)
    language = forms.CharField(required=False)

    def __init__(self, *args, projects: dict[str, Project], roles: dict, rights: dict, languages: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects, self.roles, self.rights, self.languages = projects, roles, rights, languages

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_first_name(self):
        name = " ".join(self.cleaned_data["first_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the person's name."))
        return name

    def clean_last_name(self):
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def _choice(self, name: str, names: dict, default: str, message: str) -> str:
        value = self.cleaned_data[name].strip()
        if not value:
            return default
        code = names.get(value.casefold())
        if code is None:
            raise forms.ValidationError(message % {"value": value})
        return code

    def clean_role(self):
        return self._choice("role", self.roles, Role.REPRESENTATIVE, _("Unknown role “%(value)s”."))

    def clean_right(self):
        return self._choice("right", self.rights, "", _("Unknown right “%(value)s”: manager or viewer."))

    def clean_language(self):
        return self._choice(
            "language", self.languages, settings.LANGUAGE_CODE, _("Unknown language “%(value)s”: ru or en.")
        )

    def clean_project(self):
        slug = self.cleaned_data["project"].strip().lower()
        if not slug:
            return None
        project = self.projects.get(slug)
        if project is None:
            raise forms.ValidationError(_("No active project with the slug “%(value)s”.") % {"value": slug})
        return project

    def clean(self):
        data = super().clean()
        role, project = data.get("role"), data.get("project")
        if role == Role.REPRESENTATIVE and "project" not in self.errors and project is None:
            self.add_error("project", _("A representative needs a project."))
        if role in STAFF_ROLES and (project is not None or data.get("right")):
            self.add_error("project", _("Staff are not members of projects: leave the project and right empty."))
        if role == Role.REPRESENTATIVE and "right" in data and not data["right"]:
            data["right"] = ProjectRight.MANAGER
        return data


PERSON_FIELDS = ("first_name", "last_name", "phone", "role", "language")


class UserImporter(Importer):
    name = "people-import"
    verbose_name = gettext_lazy("People")
    form_class = InvitationRowForm
    columns = (
        ImportColumn(
            "email",
            gettext_lazy("Email"),
            aliases=("e-mail", "почта", "эл. почта"),
            example="anna@example.com",
            width=28,
        ),
        ImportColumn("first_name", gettext_lazy("First name"), aliases=("имя", "name"), example="Анна", width=16),
        ImportColumn(
            "last_name", gettext_lazy("Last name"), aliases=("фамилия", "surname"), example="Петрова", width=18
        ),
        ImportColumn(
            "phone", gettext_lazy("Phone"), aliases=("телефон",), required=False, example="8 900 123-45-67", width=18
        ),
        ImportColumn("role", gettext_lazy("Role"), aliases=("роль",), required=False, example="representative"),
        ImportColumn(
            "project",
            gettext_lazy("Project slug"),
            aliases=("проект", "project", "slug"),
            required=False,
            example="misty-lounge",
            width=20,
        ),
        ImportColumn("right", gettext_lazy("Right"), aliases=("право", "права"), required=False, example="manager"),
        ImportColumn("language", gettext_lazy("Language"), aliases=("язык",), required=False, example="ru", width=10),
    )
    # The same person twice in one project (or a staff member twice) is a mistake in the file.
    unique_together = (("email", "project"),)
    max_bytes = 2 * 1024 * 1024
    max_rows = 1000

    def __init__(self, *, actor: User):
        self.actor = actor

    def form_kwargs(self) -> dict:
        return {
            "projects": {p.slug: p for p in Project.objects.filter(active=True).only("pk", "slug", "name")},
            "roles": _choice_names(Role.choices),
            "rights": _choice_names(ProjectRight.choices),
            "languages": _choice_names(Language.choices),
        }

    def check_rows(self, rows: list[ValidRow]) -> Iterable[RowError]:
        first_of: dict[str, ValidRow] = {}
        for row in rows:
            first = first_of.setdefault(row.data["email"], row)
            differs = [f for f in PERSON_FIELDS if row.data[f] != first.data[f]]
            if differs:
                labels = ", ".join(str(c.label) for c in self.columns if c.name in differs)
                yield RowError(
                    row.line,
                    (
                        _("The same email is on line %(line)d with other details (%(columns)s).")
                        % {"line": first.line, "columns": labels},
                    ),
                )
        taken = self._emails_in_use(list(first_of))
        for row in rows:
            if row.data["email"] in taken:
                yield RowError(row.line, (_("Another account already uses this email address."),))

    @staticmethod
    def _emails_in_use(emails: list[str]) -> set[str]:
        taken = set()
        for start in range(0, len(emails), LOOKUP_CHUNK):
            chunk = emails[start : start + LOOKUP_CHUNK]
            taken.update(User.objects.filter(email__in=chunk).values_list("email", flat=True))
            addresses = EmailAddress.objects.annotate(lower=Lower("email")).filter(lower__in=chunk)
            taken.update(addresses.values_list("lower", flat=True))
        return taken

    def create(self, rows: list[ValidRow]) -> list[User]:
        from accounts.services import user_invite

        people: dict[str, list[ValidRow]] = {}
        for row in rows:
            people.setdefault(row.data["email"], []).append(row)
        invited = []
        for email, person_rows in people.items():
            data = person_rows[0].data
            memberships = [(r.data["project"], r.data["right"]) for r in person_rows if r.data["project"] is not None]
            try:
                invited.append(
                    user_invite(
                        actor=self.actor,
                        email=email,
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                        phone=data["phone"],
                        role=data["role"],
                        language=data["language"],
                        memberships=memberships,
                    )
                )
            except ApplicationError as exc:
                raise RowFailed(person_rows[0].line, exc.message) from exc
        auditlog.record(
            actor=self.actor,
            event=audit_events.USERS_IMPORTED,
            changes={"people": len(invited), "rows": len(rows)},
        )
        return invited
