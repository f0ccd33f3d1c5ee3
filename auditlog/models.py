import functools
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from auditlog import events


class AppendOnlyError(Exception):
    """The audit journal is append-only: rows are inserted, never changed or removed."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events cannot be updated")

    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("audit events cannot be updated")

    update.queryset_only = True
    delete.queryset_only = True


@functools.cache
def _role_labels() -> dict:
    """Role → its (lazy, translated on use) label, built once: a journal page shows 50 rows, and building
    `Role.values` and a `Role` member per row was measurable (`make bench`)."""
    from accounts.models import Role

    return dict(Role.choices)


class AuditEvent(models.Model):
    """One thing that happened, who did it and from where (SPEC §3 "Audit event").

    Append-only at three levels: this model, its QuerySet, and on PostgreSQL a trigger (migration 0002).
    Users and projects referenced here are PROTECTed: people are blocked, projects deactivated, never
    deleted while history points at them.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    actor_role = models.CharField(_("actor's role"), max_length=20, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    event = models.CharField(_("event"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_text = models.CharField(_("object"), max_length=255, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        # Every list reads "newest first" by (created_at, id), optionally narrowed by one equality filter;
        # each index ends in (created_at, id) so the keyset paginator walks it in either direction.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="audit_time_idx"),
            models.Index(fields=["event", "created_at", "id"], name="audit_event_time_idx"),
            models.Index(fields=["project", "created_at", "id"], name="audit_project_time_idx"),
            models.Index(fields=["actor", "created_at", "id"], name="audit_actor_time_idx"),
            # "What happened to this user / lot": a card's history of its object.
            models.Index(fields=["object_type", "object_id", "created_at", "id"], name="audit_object_time_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.event}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")

    @property
    def event_label(self) -> str:
        return events.label_for(self.event)

    @property
    def actor_role_label(self) -> str:
        return str(_role_labels().get(self.actor_role, self.actor_role))

    def change_rows(self) -> list[dict]:
        """`changes` for display: one row per field (alphabetical: PostgreSQL's jsonb does not keep the order
        they were recorded in), with old and new when the value is an old → new pair."""
        rows = []
        for field, value in sorted((self.changes or {}).items()):
            if isinstance(value, dict) and set(value) == {"old", "new"}:
                rows.append({"field": field, "old": value["old"], "new": value["new"], "pair": True})
            else:
                if isinstance(value, (dict, list)):
                    value = json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
                rows.append({"field": field, "value": value, "pair": False})
        return rows
