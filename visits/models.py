"""Referred visits and the ledger (SPEC §3 "Referred visit", "Ledger"; ../shared/PATTERNS.md).

* `Visit` — a client a partner sent came to the owner. Enters only through `visits.services.visit_record`.
  It carries the terms it was paid on (the deal's), and a status: a visit is *confirmed*, or *reversed* when a
  dispute against it was upheld. That status is the one field of a visit that ever changes.
* `LedgerEntry` — signed, append-only rows: refused in the model, the QuerySet and, on PostgreSQL, by a
  trigger (migration 0002), as the audit journal is. Every balance is a sum of entries. Entries come in
  transactions (`txn`): the money legs of one transaction sum to zero — the partner's reward is the owner's
  debt, Misty's commission is the owner's debt too — and PostgreSQL checks that at commit with a deferred
  constraint trigger. Points are single-entry: the points a client got or spent at the owner's.
  `project` null is Misty itself (the commission's account).
* `DealDay` and `FlowDay` — daily roll-ups written in the same transaction as the raw rows, by one
  race-free upsert (`visits.rollups`); `manage.py check_ledger` proves they equal the raw sums.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from offers.models import Deal, Lot
from projects.models import Project


class AppendOnlyError(Exception):
    """Ledger entries are inserted, never changed or removed: a correction is a new, opposite entry."""


class VisitSource(models.TextChoices):
    MANUAL = "manual", pgettext_lazy("visit source", "Counter page")
    IMPORT = "import", pgettext_lazy("visit source", "Import")
    API = "api", pgettext_lazy("visit source", "API")


class VisitStatus(models.TextChoices):
    CONFIRMED = "confirmed", pgettext_lazy("visit status", "Confirmed")
    REVERSED = "reversed", pgettext_lazy("visit status", "Reversed")


class Visit(models.Model):
    """A client sent by the partner of a deal came to the deal's owner."""

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.PROTECT, related_name="visits")
    # The deal's lot and both sides, denormalised: the quota count and each side's lists are one index.
    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(Project, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Project, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="+")
    client = models.CharField(_("client (keyed hash)"), max_length=64)  # visits.clients.client_key
    visited_at = models.DateTimeField(_("visit time"))
    day = models.DateField(_("day"))  # visited_at's date in the portal's time zone: roll-ups and periods
    check_amount = models.DecimalField(_("check amount, ₽"), max_digits=12, decimal_places=2, null=True, blank=True)
    # The terms the visit was paid on (the deal's), and what the client spent.
    reward = models.DecimalField(_("reward, ₽"), max_digits=10, decimal_places=2)
    commission = models.DecimalField(_("commission, ₽"), max_digits=10, decimal_places=2)
    points_accrued = models.PositiveIntegerField(_("points accrued"), default=0)
    points_spent = models.PositiveIntegerField(_("points spent"), default=0)
    source = models.CharField(_("source"), max_length=10, choices=VisitSource.choices)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    payload_hash = models.CharField(max_length=64, blank=True)  # what the external id was first sent with
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.CONFIRMED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    reversed_at = models.DateTimeField(_("reversed"), null=True, blank=True)

    class Meta:
        verbose_name = _("referred visit")
        verbose_name_plural = _("referred visits")
        ordering = ["-visited_at", "-id"]
        constraints = [
            # A client counts once per lot (a reversed visit frees the client again).
            models.UniqueConstraint(
                fields=["lot", "client"], condition=Q(status="confirmed"), name="visit_client_once_per_lot"
            ),
            # Idempotency: an external id names one visit of the owner's (the project whose till or app sent it).
            models.UniqueConstraint(
                fields=["owner", "external_id"], condition=~Q(external_id=""), name="visit_external_id_once"
            ),
            models.CheckConstraint(condition=Q(reward__gte=0) & Q(commission__gte=0), name="visit_money_positive"),
        ]
        indexes = [
            # The quota count under the lot's lock: confirmed visits of the lot.
            models.Index(fields=["lot", "status"], name="visit_by_lot"),
            models.Index(fields=["deal", "-visited_at", "-id"], name="visit_by_deal"),
            models.Index(fields=["owner", "-visited_at", "-id"], name="visit_by_owner"),
            models.Index(fields=["partner", "-visited_at", "-id"], name="visit_by_partner"),
            models.Index(fields=["-created_at", "-id"], name="visit_recorded"),  # the API's `since`
        ]

    def __str__(self):
        return f"{self.deal_id} {self.visited_at:%Y-%m-%d %H:%M}"


class EntryKind(models.TextChoices):
    REWARD = "reward", pgettext_lazy("ledger entry", "Reward for a client")
    COMMISSION = "commission", pgettext_lazy("ledger entry", "Platform commission")
    POINTS_ACCRUED = "points_accrued", pgettext_lazy("ledger entry", "Points accrued")
    POINTS_SPENT = "points_spent", pgettext_lazy("ledger entry", "Points spent")
    PAYMENT = "payment", pgettext_lazy("ledger entry", "Payment")


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("ledger entries cannot be updated")

    def delete(self):
        raise AppendOnlyError("ledger entries cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("ledger entries cannot be updated")

    update.queryset_only = True
    delete.queryset_only = True


class LedgerEntry(models.Model):
    """One signed leg of a ledger transaction, on `project`'s account against `counterparty`.

    `amount` (₽): what `project` is owed (+) or owes (−) by this entry. For a visit: the partner +reward and the
    owner −reward against each other; the owner −commission against Misty (`counterparty` null) and Misty
    (`project` null) +commission against the owner. `points`: the client's points at the owner's (+ accrued,
    − spent). A reversal repeats the legs with opposite signs and points at them through `reverses`.
    """

    txn = models.UUIDField(_("transaction"), default=uuid.uuid4, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counterparty = models.ForeignKey(
        Project, verbose_name=_("counterparty"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount, ₽"), max_digits=14, decimal_places=2, default=0)
    points = models.BigIntegerField(_("points"), default=0)
    day = models.DateField(_("day"))  # the day it belongs to: the visit's day, the payment's day
    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    payment = models.ForeignKey(
        "Payment", verbose_name=_("payment"), null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    reverses = models.ForeignKey(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-day", "-id"]
        indexes = [
            models.Index(fields=["project", "day", "id"], name="ledger_by_project"),
            models.Index(fields=["project", "counterparty", "day"], name="ledger_by_pair"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(visit__isnull=True) | Q(payment__isnull=True), name="ledger_one_source"),
        ]

    def __str__(self):
        return f"{self.kind} {self.amount} {self.points}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("ledger entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("ledger entries cannot be deleted")


class Payment(models.Model):
    """Staff record the fact that `payer` paid `payee` (null: Misty) — money does not pass through the portal."""

    payer = models.ForeignKey(Project, verbose_name=_("payer"), on_delete=models.PROTECT, related_name="+")
    payee = models.ForeignKey(
        Project, verbose_name=_("payee"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount, ₽"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    period_from = models.DateField(_("period from"), null=True, blank=True)
    period_to = models.DateField(_("period to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    document = models.CharField(_("document"), max_length=200, blank=True)  # a default_storage name
    document_name = models.CharField(_("document name"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
            models.CheckConstraint(condition=~Q(payer=models.F("payee")), name="payment_two_sides"),
        ]

    def __str__(self):
        return f"{self.payer_id} → {self.payee_id}: {self.amount}"


class RollupCounters(models.Model):
    """What a roll-up adds up: net of reversals (a reversal adds −1 visit and the negated sums)."""

    visits = models.IntegerField(default=0)
    reward = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    commission = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    points_accrued = models.BigIntegerField(default=0)
    points_spent = models.BigIntegerField(default=0)
    check_total = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        abstract = True


class DealDay(RollupCounters):
    """One deal's visits of one day: the tables by deal and by counterpart, the deal card."""

    day = models.DateField()
    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deal", "day"], name="dealday_once")]
        indexes = [
            models.Index(fields=["owner", "day"], name="dealday_by_owner"),
            models.Index(fields=["partner", "day"], name="dealday_by_partner"),
        ]

    def __str__(self):
        return f"{self.deal_id} {self.day}: {self.visits}"


class FlowDay(RollupCounters):
    """Visits of one day from one partner to one owner: dashboards, ecosystem figures, the flow matrix."""

    day = models.DateField()
    owner = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "partner", "day"], name="flowday_once")]
        indexes = [
            models.Index(fields=["day", "owner", "partner"], name="flowday_by_day"),
            models.Index(fields=["partner", "day"], name="flowday_by_partner"),
        ]

    def __str__(self):
        return f"{self.partner_id} → {self.owner_id} {self.day}: {self.visits}"


class ApiKey(models.Model):
    """A project's key to the visits API (../shared/PATTERNS.md "API keys", after djangorestframework-api-key):
    `misty_<prefix>.<secret>`, shown once. The prefix is public and unique (the lookup); only a SHA-256 of the
    secret is kept, compared in constant time. Revoked, never deleted: the journal and visits point at it."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix})"


class Side(models.TextChoices):
    """Which side of its visits a project's roll-up row counts: clients who came to it, or clients it sent."""

    OWNER = "o", pgettext_lazy("roll-up side", "Owner")
    PARTNER = "p", pgettext_lazy("roll-up side", "Partner")


class ProjectDay(RollupCounters):
    """One project's visits of one day, on one side: as the owner (clients received, rewards owed, commission,
    points at its place) or as the partner (clients brought, rewards earned, cashback its clients got).
    Every visit adds to two rows (its owner's and its partner's) in one statement: the dashboards and the
    ecosystem's figures read one row per project and day instead of one per pair (`visits.analytics`)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=1, choices=Side.choices)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "side", "day"], name="projectday_once")]
        indexes = [models.Index(fields=["side", "day"], name="projectday_by_day")]

    def __str__(self):
        return f"{self.project_id} {self.side} {self.day}: {self.visits}"


class ProjectMonth(RollupCounters):
    """`ProjectDay` by calendar month (`month` is its first day): a year of the whole ecosystem is 12 rows a
    project, not 365."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=1, choices=Side.choices)
    month = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "side", "month"], name="projectmonth_once")]
        indexes = [models.Index(fields=["side", "month"], name="projectmonth_by_month")]

    def __str__(self):
        return f"{self.project_id} {self.side} {self.month:%Y-%m}: {self.visits}"


class SharedClients(models.Model):
    """How many clients came through the portal to both projects of a pair (as the owner of a confirmed
    visit), `project_a` < `project_b`. Recomputed as a whole from the visits (`visits.analytics
    .shared_clients_rebuild`, hourly): a count of distinct clients cannot be added up from day rows."""

    project_a = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    project_b = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    clients = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project_a", "project_b"], name="sharedclients_once"),
            models.CheckConstraint(condition=Q(project_a__lt=models.F("project_b")), name="sharedclients_ordered"),
        ]

    def __str__(self):
        return f"{self.project_a_id} & {self.project_b_id}: {self.clients}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("dispute status", "Open")
    UPHELD = "upheld", pgettext_lazy("dispute status", "Upheld")
    REJECTED = "rejected", pgettext_lazy("dispute status", "Rejected")


class Dispute(models.Model):
    """A side of the deal says a visit should not count (SPEC §7.5). Staff resolve it: upheld reverses the visit
    (compensating ledger entries, `visits.services.visit_reverse`), rejected leaves it. One open per visit."""

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="disputes")
    opened_by_project = models.ForeignKey(
        Project, verbose_name=_("disputed by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["visit"], condition=Q(status="open"), name="dispute_one_open_per_visit"),
        ]
        indexes = [models.Index(fields=["status", "-created_at", "-id"], name="dispute_by_status")]

    def __str__(self):
        return f"{self.visit_id}: {self.status}"
