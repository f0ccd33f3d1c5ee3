"""Exports of the visits, ledger and analytics pages (portal/exports.py): readable rows, streamed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from offers import codes
from portal.exports import Column, FilteredListExporter, ListExporter
from visits.analytics import Period, all_flows
from visits.models import EntryKind, VisitSource, VisitStatus


class VisitExporter(FilteredListExporter):
    name = "visits"
    verbose_name = _("Referred visits")
    columns = (
        Column(_("Visit time"), moment=True),
        Column(_("Deal code"), width=10),
        Column(_("Lot"), width=30),
        Column(_("Owner"), width=24),
        Column(_("Partner"), width=24),
        Column(_("Check amount, ₽"), width=14),
        Column(_("Reward, ₽"), width=12),
        Column(_("Commission, ₽"), width=12),
        Column(_("Points accrued"), width=10),
        Column(_("Points spent"), width=10),
        Column(_("Source"), width=14),
        Column(_("Status"), width=12),
        Column(_("Recorded"), moment=True),
    )

    def rows(self):
        sources, statuses = dict(VisitSource.choices), dict(VisitStatus.choices)
        for visit in self.queryset.iterator(chunk_size=2000):
            yield (
                visit.visited_at,
                codes.display(visit.deal.code),
                visit.lot.title,
                visit.owner.name,
                visit.partner.name,
                visit.check_amount,
                visit.reward,
                visit.commission,
                visit.points_accrued,
                visit.points_spent,
                str(sources.get(visit.source, visit.source)),
                str(statuses.get(visit.status, visit.status)),
                visit.created_at,
            )


class LedgerExporter(FilteredListExporter):
    name = "ledger"
    verbose_name = _("Ledger")
    columns = (
        Column(_("Day"), width=12),
        Column(_("Kind"), width=24),
        Column(_("Counterparty"), width=24),
        Column(_("Amount, ₽"), width=14),
        Column(_("Points"), width=10),
        Column(_("Deal code"), width=10),
        Column(_("Reversal"), width=10),
        Column(_("Recorded"), moment=True),
    )

    def rows(self):
        kinds = dict(EntryKind.choices)
        for entry in self.queryset.iterator(chunk_size=2000):
            yield (
                entry.day,
                str(kinds.get(entry.kind, entry.kind)),
                entry.counterparty.name if entry.counterparty_id else "Misty",
                entry.amount,
                entry.points,
                codes.display(entry.visit.deal.code) if entry.visit_id else "",
                _("yes") if entry.reverses_id else "",
                entry.created_at,
            )


class FlowExporter(ListExporter):
    """Every pair of projects that sent clients in the period, busiest first (SPEC §7.6)."""

    name = "flows"
    verbose_name = _("Flow matrix")
    columns = (
        Column(_("Sends clients"), width=30),
        Column(_("Receives clients"), width=30),
        Column(_("Clients"), width=10),
        Column(_("Rewards, ₽"), width=14),
        Column(_("Commission, ₽"), width=14),
        Column(_("Cost per client, ₽"), width=16),
        Column(_("Shared clients (all time)"), width=16),
    )

    def __init__(self, *, period: Period, **options):
        super().__init__(**options)
        self.period = period

    def audit_details(self) -> dict:
        return {"period": [self.period.start.isoformat(), self.period.end.isoformat()]}

    def rows(self):
        for flow in all_flows(period=self.period):
            yield (
                flow.partner,
                flow.owner,
                flow.visits,
                flow.reward,
                flow.commission,
                flow.cost_per_client,
                flow.shared,
            )
