"""Filters of the project lists (the list-page kit, portal/filters.py)."""

from django.utils.translation import gettext_lazy as _

from portal.filters import ChoiceFilter, PlainSelect, PortalFilterSet, SearchFilter
from projects.models import Category, Project


class ProjectFilter(PortalFilterSet):
    q = SearchFilter(fields=["name", "slug"], label=_("Search"))

    class Meta(PortalFilterSet.Meta):
        model = Project
        fields: list[str] = []


class CatalogFilter(PortalFilterSet):
    """The ecosystem's project catalog (representatives): a search over the card's words and a category."""

    q = SearchFilter(fields=["name", "description", "audience"], label=_("Search"))
    category = ChoiceFilter(
        label=_("Category"), choices=Category.choices, empty_label=_("All categories"), widget=PlainSelect
    )

    class Meta(PortalFilterSet.Meta):
        model = Project
        fields: list[str] = []
