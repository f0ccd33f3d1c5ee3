"""The marketplace (SPEC §3 "Lot", "Response", "Deal"): a project asks for new clients, another takes the offer.

Moderation with memory (../shared/PATTERNS.md, after Wagtail): the `Lot` row holds the *live* terms — what
partners see and what deals copy — and `LotRevision` holds JSON snapshots of proposed terms, at most one of
them pending per lot (a partial unique constraint). Approving copies the snapshot onto the lot under a row
lock and records `live_revision`. While a lot was never published, its row is the owner's working copy.
A lot's files follow the same rule (`offers/attachments.py`): `Attachment.live` is the row's set, a
snapshot lists the ids it proposes.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from projects.models import Project


class LotStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("lot status", "Draft")
    MODERATION = "moderation", pgettext_lazy("lot status", "On moderation")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("lot status", "Changes requested")
    REJECTED = "rejected", pgettext_lazy("lot status", "Rejected")
    PUBLISHED = "published", pgettext_lazy("lot status", "Published")
    PAUSED = "paused", pgettext_lazy("lot status", "Paused")
    CLOSED = "closed", pgettext_lazy("lot status", "Closed")
    ARCHIVED = "archived", pgettext_lazy("lot status", "Archived")


class BenefitType(models.TextChoices):
    """What the client gets for coming through a partner."""

    DISCOUNT_PERCENT = "discount_percent", _("Discount, %")
    DISCOUNT_FIXED = "discount_fixed", _("Discount, ₽")
    BONUS_POINTS = "bonus_points", _("Bonus points")


class Gender(models.TextChoices):
    ANY = "any", _("Any")
    FEMALE = "female", _("Women")
    MALE = "male", _("Men")


# Bounds of a lot's whole numbers: far above any real lot, far below what the database columns hold.
MAX_QUOTA = 1_000_000
MAX_CASHBACK_POINTS = 1_000_000


class CloseReason(models.TextChoices):
    OWNER = "owner", _("Closed by the owner")
    QUOTA = "quota", _("Quota reached")
    EXPIRED = "expired", _("Validity over")
    STAFF = "staff", _("Closed by Misty staff")


# The terms a revision proposes and a deal copies: the fields of `Lot` moderation looks at. Order = the
# order of the moderator's diff.
TERM_FIELDS = (
    "title",
    "description",
    "age_from",
    "age_to",
    "gender",
    "segment",
    "quota",
    "benefit_type",
    "benefit_value",
    "reward",
    "cashback_points",
    "valid_from",
    "valid_until",
)


MONEY_FIELDS = ("benefit_value", "reward")


class Lot(models.Model):
    """A project's request for new clients, with a reward per client to the partner who brings one."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="lots")
    status = models.CharField(_("status"), max_length=20, choices=LotStatus.choices, default=LotStatus.DRAFT)
    # --- terms (live once published; see the module's docstring) ---
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    age_from = models.PositiveSmallIntegerField(
        _("age from"), null=True, blank=True, validators=[MinValueValidator(14), MaxValueValidator(100)]
    )
    age_to = models.PositiveSmallIntegerField(
        _("age to"), null=True, blank=True, validators=[MinValueValidator(14), MaxValueValidator(100)]
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.ANY)
    segment = models.CharField(_("audience segment"), max_length=300, blank=True)
    quota = models.PositiveIntegerField(_("quota of new clients"), validators=[MinValueValidator(1)])
    benefit_type = models.CharField(_("client benefit"), max_length=20, choices=BenefitType.choices)
    benefit_value = models.DecimalField(
        _("benefit value"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    reward = models.DecimalField(
        _("reward per client, ₽"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    cashback_points = models.PositiveIntegerField(_("cashback points to the client"), default=0)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    # --- life ---
    live_revision = models.ForeignKey(
        "LotRevision",
        verbose_name=_("live revision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)  # the latest submission
    published_at = models.DateTimeField(_("published"), null=True, blank=True)  # the first publication
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(_("close reason"), max_length=10, choices=CloseReason.choices, blank=True)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["project", "-created_at", "-id"], name="lot_by_project"),
            # Lots of a status, newest published first — the marketplace's order. The project is in it too, so
            # the marketplace's COUNT (published lots of the other active projects) reads this index alone:
            # 20k lots, 8 ms -> 1.5 ms on SQLite (`make bench`). An index of (status, project) alone made
            # SQLite sort every published lot instead of walking this order for a page of 24.
            models.Index(fields=["status", "-published_at", "-id", "project"], name="lot_market"),
            models.Index(fields=["status", "valid_until"], name="lot_expiry"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="lot_valid_dates"),
            models.CheckConstraint(
                condition=Q(age_from__isnull=True) | Q(age_to__isnull=True) | Q(age_to__gte=models.F("age_from")),
                name="lot_age_range",
            ),
            models.CheckConstraint(condition=Q(quota__gte=1), name="lot_quota_positive"),
        ]

    def __str__(self):
        return self.title

    def terms(self) -> dict:
        """The lot's terms as plain JSON values (a revision's snapshot)."""
        return terms_snapshot({field: getattr(self, field) for field in TERM_FIELDS})

    @property
    def is_live(self) -> bool:
        """Partners see it (and may respond while it is published)."""
        return self.status in (LotStatus.PUBLISHED, LotStatus.PAUSED, LotStatus.CLOSED)


def terms_snapshot(values: dict) -> dict:
    """Terms as JSON: decimals and dates as strings, everything else as it is."""
    plain = {}
    for field in TERM_FIELDS:
        value = values.get(field)
        if field in MONEY_FIELDS and value is not None:
            value = str(Decimal(str(value)).quantize(Decimal("0.01")))  # "300.00" however it was typed
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif value is not None and not isinstance(value, (str, int, bool)):
            value = str(value)
        plain[field] = value
    return plain


class RevisionStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("revision status", "Waiting for moderation")
    APPROVED = "approved", pgettext_lazy("revision status", "Approved")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("revision status", "Changes requested")
    REJECTED = "rejected", pgettext_lazy("revision status", "Rejected")


class LotRevision(models.Model):
    """Terms proposed for a lot and what moderation said of them."""

    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    terms = models.JSONField(_("terms"))
    status = models.CharField(
        _("status"), max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.PENDING
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)  # changes asked for, or the reason

    class Meta:
        verbose_name = _("lot revision")
        verbose_name_plural = _("lot revisions")
        ordering = ["lot", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "number"], name="lot_revision_number"),
            # One revision in moderation per lot at a time.
            models.UniqueConstraint(fields=["lot"], condition=Q(status="pending"), name="lot_revision_one_pending"),
        ]
        indexes = [models.Index(fields=["status", "created_at", "id"], name="lot_revision_queue")]

    def __str__(self):
        return f"{self.lot} #{self.number}"


class LotStatusChange(models.Model):
    """The lot's history as its card shows it: every transition, who made it and why."""

    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("from"), max_length=20, choices=LotStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=LotStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("lot status change")
        verbose_name_plural = _("lot status changes")
        ordering = ["lot", "-created_at", "-id"]
        indexes = [models.Index(fields=["lot", "-created_at", "-id"], name="lot_history")]

    def __str__(self):
        return f"{self.lot}: {self.from_status} → {self.to_status}"


class ResponseStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("response status", "Waiting for the owner")
    ACCEPTED = "accepted", pgettext_lazy("response status", "Accepted")
    REJECTED = "rejected", pgettext_lazy("response status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("response status", "Withdrawn")


class Response(models.Model):
    """A partner project offers to bring clients to a published lot."""

    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="responses")
    project = models.ForeignKey(Project, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="responses")
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.PENDING
    )
    channels = models.TextField(_("how and where the lot will be advertised"), max_length=2000)
    expected_reach = models.PositiveIntegerField(_("expected reach"), null=True, blank=True)
    proposed_start = models.DateField(_("proposed start"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open response per (lot, responding project).
            models.UniqueConstraint(
                fields=["lot", "project"], condition=Q(status="pending"), name="response_one_open_per_partner"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "-created_at", "-id"], name="response_by_partner"),
            models.Index(fields=["lot", "status"], name="response_by_lot"),
            # A partner's pending responses: the overview's "active between two projects" (offers.overview).
            models.Index(fields=["project", "status"], name="response_by_partner_status"),
            # Every response, newest first: the staff overview's default order, without sorting 150k rows.
            models.Index(fields=["-created_at", "-id"], name="response_newest"),
        ]

    def __str__(self):
        return f"{self.project} → {self.lot}"


class DealStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("deal status", "Active")
    COMPLETED = "completed", pgettext_lazy("deal status", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("deal status", "Cancelled")


class Deal(models.Model):
    """An accepted response: the partner brings clients on the terms approved when it was accepted."""

    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="deals")
    response = models.OneToOneField(Response, verbose_name=_("response"), on_delete=models.PROTECT, related_name="deal")
    # Both sides, denormalised so each side's lists are one indexed query.
    owner = models.ForeignKey(Project, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(
        Project, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="partner_deals"
    )
    code = models.CharField(_("referral code"), max_length=16, unique=True)  # offers.codes, normalized
    terms = models.JSONField(_("terms"))  # the approved terms at acceptance (Lot.terms())
    revision = models.ForeignKey(
        LotRevision, verbose_name=_("revision"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=DealStatus.choices, default=DealStatus.ACTIVE)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    end_reason = models.TextField(_("reason"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at", "-id"], name="deal_by_owner"),
            models.Index(fields=["partner", "-created_at", "-id"], name="deal_by_partner"),
            models.Index(fields=["lot", "status"], name="deal_by_lot"),
            # The deals of two projects: the overview's "active between" reads one index entry per pair.
            models.Index(fields=["owner", "partner", "status"], name="deal_between"),
        ]

    def __str__(self):
        return self.code


class DealMessage(models.Model):
    """The thread between the two projects of a deal; staff read it and may write."""

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Which side wrote: the owner's or the partner's project, or None for Misty staff.
    author_project = models.ForeignKey(
        Project, verbose_name=_("project"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("deal message")
        verbose_name_plural = _("deal messages")
        ordering = ["deal", "created_at", "id"]
        indexes = [models.Index(fields=["deal", "created_at", "id"], name="deal_thread")]

    def __str__(self):
        return f"{self.deal}: {self.body[:40]}"


class DealThreadRead(models.Model):
    """Up to when a person has read a deal's thread (the unread counts of the deal list)."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deal", "user"], name="deal_thread_read_once")]

    def __str__(self):
        return f"{self.user_id} read {self.deal_id} at {self.read_at}"


class Attachment(models.Model):
    """A file attached to a lot or to a deal message (portal.uploads checked it; the name is generated)."""

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        DealMessage,
        verbose_name=_("message"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    # A lot's attachment in the lot row's terms: the live set once the lot is published (what partners see),
    # the owner's working copy before. A revision's proposed set is the ids in its snapshot
    # (`offers.attachments`); approving one moves this flag. Always False for a message's attachment.
    live = models.BooleanField(_("in the lot's live terms"), default=False)
    file = models.CharField(_("stored file"), max_length=200)  # a default_storage name, never the user's
    display_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(lot__isnull=False) & Q(message__isnull=True))
                | (Q(lot__isnull=True) & Q(message__isnull=False)),
                name="attachment_one_owner",
            )
        ]

    def __str__(self):
        return self.display_name
