"""Filters of the marketplace's lists (the list-page kit, portal/filters.py). One section per list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from offers.models import Lot, LotStatus
from portal.filters import ChoiceFilter, PlainSelect, PortalFilterSet, SearchFilter

# --- the owner's lots (cabinet: /cabinet/<slug>/lots/) ----------------------------------------------------


class OwnLotFilter(PortalFilterSet):
    """A project's own lots: a search over the title and the audience segment, and a status.

    Archived lots are put away: without a status they are left out, and the "Archived" status shows them."""

    q = SearchFilter(fields=["title", "segment"], label=_("Search"))
    status = ChoiceFilter(
        label=_("Status"), choices=LotStatus.choices, empty_label=_("All but archived"), widget=PlainSelect
    )

    class Meta(PortalFilterSet.Meta):
        model = Lot
        fields: list[str] = []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=LotStatus.ARCHIVED)
        return queryset
