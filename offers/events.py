"""Lots, responses, deals and payments: the notification events of the marketplace.

Registered in `OffersConfig.ready()` (docs/RECIPES.md, "Add a state change").
"""

from django.utils.translation import gettext_lazy as _

from notifications.events import BOTH, REPRESENTATIVES, STAFF, EventType

# --- audit codes (offers.services) -----------------------------------------------------------------------
LOT_CREATED = "offers.lot.created"
LOT_UPDATED = "offers.lot.updated"
LOT_REVISION_PROPOSED = "offers.lot.revision_proposed"  # new terms of a live lot, for moderation
LOT_REVISION_APPROVED = "offers.lot.revision_approved"
LOT_REVISION_CHANGES_REQUESTED = "offers.lot.revision_changes_requested"
LOT_REVISION_REJECTED = "offers.lot.revision_rejected"
# One code per transition of offers/transitions.py (offers.services._transition looks them up by name).
LOT_AUDIT = {
    "submit": "offers.lot.submitted",
    "approve": "offers.lot.approved",
    "request_changes": "offers.lot.changes_requested",
    "reject": "offers.lot.rejected",
    "pause": "offers.lot.paused",
    "resume": "offers.lot.resumed",
    "close": "offers.lot.closed",
    "archive": "offers.lot.archived",
}
DEAL_COMPLETED_AUDIT = "offers.deal.completed"
RESPONSE_SUBMITTED = "offers.response.submitted"
RESPONSE_WITHDRAWN = "offers.response.withdrawn"
RESPONSE_ACCEPTED_AUDIT = "offers.response.accepted"
RESPONSE_REJECTED_AUDIT = "offers.response.rejected"
DEAL_CREATED = "offers.deal.created"
DEAL_CANCELLED_AUDIT = "offers.deal.cancelled"
DEAL_MESSAGE_POSTED = "offers.deal.message_posted"

AUDIT_EVENTS = {
    LOT_CREATED: _("Lot created"),
    LOT_UPDATED: _("Lot edited"),
    LOT_REVISION_PROPOSED: _("New terms proposed for a published lot"),
    LOT_REVISION_APPROVED: _("New terms of a lot approved"),
    LOT_REVISION_CHANGES_REQUESTED: _("Changes requested to new terms of a lot"),
    LOT_REVISION_REJECTED: _("New terms of a lot rejected"),
    LOT_AUDIT["submit"]: _("Lot submitted for moderation"),
    LOT_AUDIT["approve"]: _("Lot approved and published"),
    LOT_AUDIT["request_changes"]: _("Changes requested to a lot"),
    LOT_AUDIT["reject"]: _("Lot rejected"),
    LOT_AUDIT["pause"]: _("Lot paused"),
    LOT_AUDIT["resume"]: _("Lot resumed"),
    LOT_AUDIT["close"]: _("Lot closed"),
    LOT_AUDIT["archive"]: _("Lot archived"),
    DEAL_COMPLETED_AUDIT: _("Deal completed"),
    RESPONSE_SUBMITTED: _("Response sent"),
    RESPONSE_WITHDRAWN: _("Response withdrawn"),
    RESPONSE_ACCEPTED_AUDIT: _("Response accepted"),
    RESPONSE_REJECTED_AUDIT: _("Response rejected"),
    DEAL_CREATED: _("Deal started"),
    DEAL_CANCELLED_AUDIT: _("Deal cancelled"),
    DEAL_MESSAGE_POSTED: _("Message in a deal's thread"),
}

# --- lots ------------------------------------------------------------------------------------------
LOT_SUBMITTED = EventType(
    "offers.lot.submitted",
    _("Lot submitted for moderation"),
    STAFF,
    "lot-submitted",
    context_keys=("lot_title", "project_name"),
    important=True,
)
LOT_APPROVED = EventType(
    "offers.lot.approved",
    _("Lot approved"),
    REPRESENTATIVES,
    "lot-approved",
    context_keys=("lot_title",),
)
LOT_CHANGES_REQUESTED = EventType(
    "offers.lot.changes_requested",
    _("Changes requested to a lot"),
    REPRESENTATIVES,
    "lot-changes-requested",
    context_keys=("lot_title", "comment"),
)
LOT_REJECTED = EventType(
    "offers.lot.rejected",
    _("Lot rejected"),
    REPRESENTATIVES,
    "lot-rejected",
    context_keys=("lot_title", "reason"),
)
# --- responses -------------------------------------------------------------------------------------
RESPONSE_RECEIVED = EventType(
    "offers.response.received",
    _("Response to your lot received"),
    REPRESENTATIVES,
    "response-received",
    context_keys=("lot_title", "partner_name"),
)
RESPONSE_ACCEPTED = EventType(
    "offers.response.accepted",
    _("Your response accepted"),
    REPRESENTATIVES,
    "response-accepted",
    context_keys=("lot_title", "owner_name"),
)
RESPONSE_REJECTED = EventType(
    "offers.response.rejected",
    _("Your response rejected"),
    REPRESENTATIVES,
    "response-rejected",
    context_keys=("lot_title", "owner_name", "reason"),
)
# --- deals -----------------------------------------------------------------------------------------
# The other side's representatives; staff only for a thread they wrote in (offers.services.deal_message_post).
DEAL_MESSAGE = EventType(
    "offers.deal.message",
    _("New message in a deal"),
    BOTH,
    "deal-message",
    context_keys=("deal_title", "sender_name", "excerpt"),
)
DEAL_COMPLETED = EventType(
    "offers.deal.completed",
    _("Deal completed"),
    BOTH,
    "deal-completed",
    context_keys=("deal_title", "owner_name", "partner_name"),
)
DEAL_CANCELLED = EventType(
    "offers.deal.cancelled",
    _("Deal cancelled"),
    BOTH,
    "deal-cancelled",
    context_keys=("deal_title", "owner_name", "partner_name", "reason"),
)
PAYMENT_RECORDED = EventType(
    "offers.payment.recorded",
    _("Payment recorded"),
    REPRESENTATIVES,
    "payment-recorded",
    context_keys=("payer_name", "payee_name", "amount", "paid_at"),
)

NOTIFICATION_EVENTS = (
    LOT_SUBMITTED,
    LOT_APPROVED,
    LOT_CHANGES_REQUESTED,
    LOT_REJECTED,
    RESPONSE_RECEIVED,
    RESPONSE_ACCEPTED,
    RESPONSE_REJECTED,
    DEAL_MESSAGE,
    DEAL_COMPLETED,
    DEAL_CANCELLED,
    PAYMENT_RECORDED,
)
