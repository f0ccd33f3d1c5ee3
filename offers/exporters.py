"""Exports of the marketplace's lists (portal/exports.py): the overview table, filtered as on its page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from offers import codes
from offers.models import LotStatus
from offers.overview import overview_export_rows
from offers.overview_filters import DIRECTION_LABELS, state_labeler
from portal.exports import Column, FilteredListExporter


class OverviewExporter(FilteredListExporter):
    """The overview table: the rows of `queryset` (`offers.overview.overview_filterset(...).qs` or the staff
    one's), in its order. Seen from `project` (a cabinet) the rows name a direction and a counterpart;
    without one (staff) the lot's owner and the partner."""

    name = "overview"
    verbose_name = _("Overview")

    def __init__(self, *, queryset, project=None, filters=None, **options):
        super().__init__(queryset=queryset, filters=filters, **options)
        self.project = project

    @property
    def columns(self):
        if self.project is not None:
            sides = (Column(_("Direction"), width=14), Column(_("Counterpart"), width=30))
        else:
            sides = (Column(_("Lot owner"), width=30), Column(_("Partner"), width=30))
        return (
            Column(_("Started"), moment=True),
            *sides,
            Column(_("Lot"), width=40),
            Column(_("Lot status"), width=16),
            Column(_("Status"), width=18),
            Column(_("Deal"), width=10),
            Column(_("Reward per client, ₽"), width=14),
            Column(_("Commission per client, ₽"), width=14),
            Column(_("Cashback points per client"), width=14),
            Column(_("Active interactions"), width=12),
            Column(_("Decided"), moment=True),
            Column(_("Deal ended"), moment=True),
        )

    def audit_details(self) -> dict:
        details = super().audit_details()
        if self.project is not None:
            details["project"] = self.project.slug
        return details

    def rows(self):
        directions = {key: str(label) for key, label in DIRECTION_LABELS.items()}
        state_label = state_labeler()
        lot_states = {key: str(label) for key, label in LotStatus.choices}
        for row in overview_export_rows(queryset=self.queryset, project=self.project):
            if self.project is not None:
                sides = (directions[row.direction], row.counterpart.name)
            else:
                sides = (row.lot.project.name, row.project.name)
            deal = row.the_deal
            yield (
                row.created_at,
                *sides,
                row.lot.title,
                lot_states.get(row.lot.status, row.lot.status),
                state_label(row),
                codes.display(deal.code) if deal else None,
                row.reward,
                row.commission,
                row.cashback,
                row.active,
                row.decided_at,
                deal.ended_at if deal else None,
            )
