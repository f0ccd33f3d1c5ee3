"""Filters of the project lists (the list-page kit, portal/filters.py)."""

from django.utils.translation import gettext_lazy as _

from portal.filters import ChoiceFilter, PlainSelect, PortalFilterSet, SearchFilter
from projects.models import Category, Project


class ProjectFilter(PortalFilterSet):
    MINE = "mine"
    ALL = "all"

    q = SearchFilter(fields=["name", "slug"], label=_("Search"))
    # Only for a curator (a moderator who curates some projects): their projects, or every project.
    scope = ChoiceFilter(
        label=_("Projects"),
        choices=[(MINE, _("My projects")), (ALL, _("All projects"))],
        empty_label=None,
        method="filter_scope",
        widget=PlainSelect,
    )

    class Meta(PortalFilterSet.Meta):
        model = Project
        fields: list[str] = []

    def __init__(self, *args, curated_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.curated_ids = list(curated_ids)
        if not self.curated_ids:
            del self.filters["scope"]

    @property
    def is_filtered(self) -> bool:
        """The scope is a view of the list, not a narrowing that "reset" should undo."""
        if not self.is_bound:
            return False
        return any(value not in ("", None) for key, value in self.data.items() if key == "q")

    def filter_scope(self, queryset, name, value):
        if value == self.MINE:
            return queryset.filter(pk__in=self.curated_ids)
        return queryset


class CatalogFilter(PortalFilterSet):
    """The ecosystem's project catalog (representatives): a search over the card's words and a category."""

    q = SearchFilter(fields=["name", "description", "audience"], label=_("Search"))
    category = ChoiceFilter(
        label=_("Category"), choices=Category.choices, empty_label=_("All categories"), widget=PlainSelect
    )

    class Meta(PortalFilterSet.Meta):
        model = Project
        fields: list[str] = []
