"""Filters of the people lists (the list-page kit, portal/filters.py)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import AccessRequest, AccessRequestStatus
from portal.filters import ChoiceFilter, PlainSelect, PortalFilterSet, SearchFilter


class AccessRequestFilter(PortalFilterSet):
    q = SearchFilter(fields=["name", "email", "company", "phone"], label=_("Search"))
    status = ChoiceFilter(
        label=_("Status"), choices=AccessRequestStatus.choices, empty_label=_("All"), widget=PlainSelect
    )

    class Meta(PortalFilterSet.Meta):
        model = AccessRequest
        fields: list[str] = []
