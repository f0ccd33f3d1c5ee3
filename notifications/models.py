from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailState(models.TextChoices):
    PENDING = "pending", _("pending")
    # Claimed by a worker that is sending it now; a claim older than NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS
    # belongs to a worker that died and may be taken over (see notifications.delivery).
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    NOT_WANTED = "not_wanted", _("not wanted")


OPEN_EMAIL_STATES = (EmailState.PENDING, EmailState.SENDING, EmailState.FAILED)


class Notification(models.Model):
    """One event for one recipient: shown in the cabinet for ever, and emailed if the recipient wants it.

    `title` and `body` are rendered in the recipient's language when the event happens and kept (the staff
    "Email delivery" page, the admin, and a fallback if the event's templates go away). The cabinet shows the
    texts rendered again from `context` in the reader's current language and time zone
    (`notifications.rendering.localize_notifications`); the email is rendered from `context` when it is sent.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    event = models.CharField(_("event"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    # "<language>|<time zone>" the stored title and body were rendered in (`rendering.rendered_in`): a reader
    # in the same language and zone is shown them as they are, anyone else gets them rendered again.
    rendered_in = models.CharField(_("rendered in"), max_length=80, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    email_state = models.CharField(_("email"), max_length=12, choices=EmailState.choices, default=EmailState.PENDING)
    email_attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    email_last_error = models.TextField(_("last error"), blank=True)
    # When the next attempt is due: set at creation and by every retry; the sweeper re-queues a pending
    # email that is overdue by NOTIFICATIONS_SWEEP_AFTER_SECONDS.
    email_due_at = models.DateTimeField(_("due"), null=True, blank=True)
    email_claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recipient_idx"),
            models.Index(fields=["recipient", "event", "-created_at"], name="notification_recipient_ev_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            # The few emails still in play (Email delivery page, sweeper), however many millions were sent.
            # Not a partial index: SQLite cannot match `email_state IN (?, ?, ?)` with bound parameters
            # against a partial index's condition, and fell back to scanning the table.
            models.Index(fields=["email_state", "created_at"], name="notification_email_state_idx"),
            models.Index(fields=["-created_at", "-id"], name="notification_created_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice to have one event emailed or not; without a row the event's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(_("event"), max_length=100)
    email_enabled = models.BooleanField(_("email"))

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notification_pref_unique_user_event")]

    def __str__(self):
        channel = _("email and portal") if self.email_enabled else _("portal only")
        return f"{self.user} · {self.event}: {channel}"


class StaffLevel(models.TextChoices):
    ALL = "all", _("All notifications")
    IMPORTANT = "important", _("Important only")
    NONE = "none", _("None (in the portal only)")


class NotificationSettings(models.Model):
    """Per-user notification settings that are not per event: the staff email level (seed 000)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notification_settings"
    )
    staff_level = models.CharField(
        _("email level"), max_length=12, choices=StaffLevel.choices, default=StaffLevel.IMPORTANT
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return f"{self.user}: {self.staff_level}"
