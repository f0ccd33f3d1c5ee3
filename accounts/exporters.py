"""The staff user catalog as a spreadsheet (the export recipe, portal/exports.py)."""

from django.utils.translation import gettext_lazy as _

from portal.exports import Column, FilteredListExporter
from projects.models import ProjectRight


def projects_text(person) -> str:
    """ "Alpha Lounge, Beta (viewer)": the projects of a prefetched user, the viewer right marked."""
    viewer = str(ProjectRight.VIEWER.label).lower()
    return ", ".join(
        f"{m.project.name} ({viewer})" if m.right == ProjectRight.VIEWER else m.project.name
        for m in person.memberships.all()
    )


class UserExporter(FilteredListExporter):
    """Every person the catalog's filters keep, in its order. `queryset` comes from `user_filterset`."""

    name = "users"
    verbose_name = _("Users")
    columns = (
        Column(_("Name"), width=28),
        Column(_("Email"), width=32),
        Column(_("Phone"), width=18),
        Column(_("Role"), width=16),
        Column(_("Status"), width=14),
        Column(_("Projects"), width=50),
        Column(_("Last activity"), moment=True),
        Column(_("Invited"), moment=True),
    )

    def rows(self):
        # prefetch_related works with iterator() when a chunk size is given: one memberships query per chunk.
        for person in self.queryset.iterator(chunk_size=2000):
            yield (
                person.full_name,
                person.email,
                person.phone,
                person.get_role_display(),
                person.get_status_display(),
                projects_text(person),
                person.last_login,
                person.invited_at,
            )
