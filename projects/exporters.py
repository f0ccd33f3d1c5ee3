"""Exports of projects (portal/exports.py): the ecosystem's catalog as a spreadsheet."""

from django.utils.translation import gettext_lazy as _

from portal.exports import Column, FilteredListExporter
from projects.models import Category
from projects.selectors import CATALOG_CARD_FIELDS, CATALOG_CONTACT_FIELDS


class ProjectCatalogExporter(FilteredListExporter):
    """The project catalog, filtered as on the page. `queryset` comes from `projects.selectors.catalog_filterset`."""

    name = "project-catalog"
    verbose_name = _("Project catalog")
    columns = (
        Column(_("Project"), width=30),
        Column(_("Category"), width=22),
        Column(_("Short description"), width=50),
        Column(_("Target audience"), width=40),
        Column(_("Average check, ₽"), width=16),
        Column(_("Points accumulated by clients"), width=18),
        Column(_("Contact person"), width=24),
        Column(_("Contact phone"), width=18),
        Column(_("Contact email"), width=28),
        Column(_("Address"), width=40),
        Column(_("Website"), width=30),
    )

    def rows(self):
        labels = dict(Category.choices)
        projects = self.queryset.only(*CATALOG_CARD_FIELDS, *CATALOG_CONTACT_FIELDS)
        for project in projects.iterator(chunk_size=2000):
            yield (
                project.name,
                str(labels.get(project.category, project.category)),
                project.description,
                project.audience,
                project.average_check,
                project.client_points,
                project.contact_name,
                project.contact_phone,
                project.contact_email,
                project.address,
                project.website,
            )
