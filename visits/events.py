"""Referred visits, the ledger, disputes and payments: their audit codes.

Registered in `VisitsConfig.ready()` (docs/RECIPES.md, "Add a state change"). The notification of a recorded
payment keeps the code the product named, `offers.payment.recorded` (offers/events.py registers it).
"""

from django.utils.translation import gettext_lazy as _

from notifications.events import BOTH, REPRESENTATIVES, EventType

VISIT_RECORDED = "visits.visit.recorded"
VISIT_REVERSED = "visits.visit.reversed"
VISITS_IMPORTED = "visits.visits.imported"
API_KEY_CREATED = "visits.api_key.created"
API_KEY_REVOKED = "visits.api_key.revoked"
PAYMENT_RECORDED = "visits.payment.recorded"
DISPUTE_OPENED_AUDIT = "visits.dispute.opened"
DISPUTE_UPHELD_AUDIT = "visits.dispute.upheld"
DISPUTE_REJECTED_AUDIT = "visits.dispute.rejected"

AUDIT_EVENTS = {
    VISIT_RECORDED: _("Referred visit recorded"),
    VISIT_REVERSED: _("Referred visit reversed"),
    VISITS_IMPORTED: _("Referred visits imported"),
    API_KEY_CREATED: _("API key created"),
    API_KEY_REVOKED: _("API key revoked"),
    PAYMENT_RECORDED: _("Payment recorded"),
    DISPUTE_OPENED_AUDIT: _("Visit disputed"),
    DISPUTE_UPHELD_AUDIT: _("Dispute upheld: visit reversed"),
    DISPUTE_REJECTED_AUDIT: _("Dispute rejected"),
}

# --- notifications -------------------------------------------------------------------------------------------
DISPUTE_CONTEXT = ("code", "lot_title", "owner_name", "partner_name", "disputed_by", "visited_at", "reason")
DISPUTE_OPENED = EventType(
    "visits.dispute.opened",
    _("Visit disputed"),
    BOTH,  # the other side of the deal, and staff who resolve it
    "dispute-opened",
    context_keys=DISPUTE_CONTEXT,
    important=True,  # staff: someone waits for their decision
)
DISPUTE_RESOLVED = EventType(
    "visits.dispute.resolved",
    _("Dispute resolved"),
    REPRESENTATIVES,
    "dispute-resolved",
    context_keys=(*DISPUTE_CONTEXT, "upheld", "resolution"),
)
NOTIFICATION_EVENTS = (DISPUTE_OPENED, DISPUTE_RESOLVED)
