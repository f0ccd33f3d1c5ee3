"""Filters of the project lists (the list-page kit, portal/filters.py)."""

from django.utils.translation import gettext_lazy as _

from portal.filters import PortalFilterSet, SearchFilter
from projects.models import Project


class ProjectFilter(PortalFilterSet):
    q = SearchFilter(fields=["name", "slug"], label=_("Search"))

    class Meta(PortalFilterSet.Meta):
        model = Project
        fields: list[str] = []
