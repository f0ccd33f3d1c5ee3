"""Visits and the ledger in the Django admin: read-only. A visit enters only through
`visits.services.visit_record` (the quota, the ledger legs and the roll-ups in one transaction), and a ledger
entry is never edited; administrators look here and act in the staff cabinet. The client is a keyed hash and
is not listed."""

from django.contrib import admin

from portal.admin import ReadOnlyModelAdmin
from visits.models import LedgerEntry, Payment, Visit


@admin.register(Visit)
class VisitAdmin(ReadOnlyModelAdmin):
    list_display = ["deal", "owner", "partner", "visited_at", "reward", "commission", "source", "status"]
    list_filter = ["status", "source"]
    list_select_related = ["deal", "owner", "partner"]
    search_fields = ["deal__code", "external_id"]
    exclude = ["client", "payload_hash"]
    show_full_result_count = False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyModelAdmin):
    list_display = ["day", "kind", "project", "counterparty", "amount", "points", "visit", "payment"]
    list_filter = ["kind"]
    list_select_related = ["project", "counterparty"]
    show_full_result_count = False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyModelAdmin):
    list_display = ["paid_on", "payer", "payee", "amount", "recorded_by"]
    list_select_related = ["payer", "payee", "recorded_by"]
    show_full_result_count = False
