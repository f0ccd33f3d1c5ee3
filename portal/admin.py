"""Every write made in the Django admin is journaled (issue 7), and some admin pages only read.

`AuditedModelAdmin` (or `AuditedAdminMixin` in front of a third-party ModelAdmin) records one audit event
per object added, changed or deleted — through the change form, the changelist's editable columns, an
inline row, the delete page or the "delete selected" action:

    admin.<app_label>.<model_name>.added     changes: {field: value}
    admin.<app_label>.<model_name>.changed   changes: {field: (old, new)}, only the fields that changed
    admin.<app_label>.<model_name>.deleted   changes: {field: value} as the row was

The codes are registered when the ModelAdmin is created (admin autodiscovery, in the admin's own
`ready()`), so the journal's event filter offers them from the start. Values are compared as stored
(foreign keys by id, many-to-many as sorted ids); `auditlog.record()` masks secret-looking fields.
Cascaded deletions are not journaled one by one, as in Django's own admin history.

A ModelAdmin whose model has services (accounts.UserAdmin) calls them for the fields they own — each
service writes its own event — and lets this mixin journal whatever else changed. A service's
`ApplicationError` rolls the whole admin save back and is shown as a message.

`ReadOnlyModelAdmin` is for rows that only allauth writes (second factors, sessions, email addresses):
listed and viewed, never added, changed or deleted here.
"""

from __future__ import annotations

import datetime
import decimal
import uuid

from django.contrib import admin, messages
from django.db.models.fields.files import FieldFile
from django.http import HttpResponseRedirect
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

import auditlog
from auditlog import events as audit_catalogue
from portal.exceptions import ApplicationError

# Django's admin puts a model's name, in the nominative, inside sentences ("Add %s", "Select %s to change").
# Russian wants another case there, so the admin read "Добавить пользователь". These are Django's own
# msgids: our catalogue (LOCALE_PATHS outranks Django's) words them so that a name in the nominative reads
# right ("Добавить: пользователь"). Listed here so that `makemessages` keeps them in locale/.
DJANGO_ADMIN_PHRASES = (
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("Add %(name)s"),
    gettext_noop("Select %s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Cannot delete %(name)s"),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related objects, but your "
        "account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the following protected "
        "related objects:"
    ),
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the following related '
        "items will be deleted:"
    ),
)

ACTIONS = {
    "added": _("added in the admin"),
    "changed": _("changed in the admin"),
    "deleted": _("deleted in the admin"),
}


def admin_event(model, action: str) -> str:
    return f"admin.{model._meta.app_label}.{model._meta.model_name}.{action}"


def register_admin_events(model, extra_actions: dict | None = None) -> None:
    """Register the journal codes of `model`'s admin (idempotent)."""
    for action, label in {**ACTIONS, **(extra_actions or {})}.items():
        audit_catalogue.register(
            admin_event(model, action), format_lazy("{}: {}", capfirst(model._meta.verbose_name), label)
        )


JSON_READY = (
    str,
    int,
    float,
    bool,
    list,
    dict,
    datetime.date,
    datetime.time,
    datetime.timedelta,
    decimal.Decimal,
    uuid.UUID,
)


def _plain(value):
    """A field's value as the journal can store it: files by name, anything exotic (a time zone) as text."""
    if value is None or isinstance(value, JSON_READY):
        return value
    if isinstance(value, FieldFile):
        return value.name
    if isinstance(value, (bytes, memoryview)):
        return f"<{len(value)} bytes>"
    return str(value)


def snapshot(obj, *, with_many_to_many: bool = True) -> dict:
    """The stored-form values of `obj`'s fields (primary key left out)."""
    values = {
        field.name: _plain(field.value_from_object(obj)) for field in obj._meta.concrete_fields if not field.primary_key
    }
    if with_many_to_many and obj.pk is not None:
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(str(related.pk) for related in getattr(obj, field.name).all())
    return values


def stored_snapshot(obj) -> dict:
    """`snapshot` of the row as the database holds it now (before the admin saves its new values)."""
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return snapshot(stored) if stored is not None else {}


def differences(model, before: dict, after: dict) -> dict:
    """{field: (old, new)} of what a person changed: fields Django stamps on every save (auto_now) are left out."""
    stamped = {field.name for field in model._meta.concrete_fields if getattr(field, "auto_now", False)}
    return {
        name: (before.get(name), value)
        for name, value in after.items()
        if name not in stamped and before.get(name) != value
    }


def _project_of(obj):
    project = getattr(obj, "project", None)
    return project if getattr(project, "_meta", None) and project._meta.label_lower == "projects.project" else None


class AuditedAdminMixin:
    """Journal every add, change and delete of this admin (see the module docstring)."""

    audit_extra_actions: dict = {}

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        register_admin_events(model, self.audit_extra_actions)
        for inline in self.inlines:
            register_admin_events(inline.model)

    # --- writing the event ---------------------------------------------------------------------------

    def audit(self, request, obj, action: str, changes: dict, *, deleted: bool = False):
        return auditlog.record(
            actor=request.user,
            event=admin_event(type(obj), action),
            obj=obj,
            project=_project_of(obj),
            changes=changes,
            request=request,
            obj_deleted=deleted,
        )

    def _pending(self, request) -> dict:
        if not hasattr(request, "_admin_audit_pending"):
            request._admin_audit_pending = {}
        return request._admin_audit_pending

    # --- change form and changelist (list_editable) --------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as error:
            # Raised inside the admin's transaction: nothing of this save was kept.
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        before = stored_snapshot(obj) if change else None
        super().save_model(request, obj, form, change)
        after = snapshot(obj, with_many_to_many=False)
        self._pending(request)[(type(obj), obj.pk)] = (before, after)

    def save_related(self, request, form, formsets, change):
        """Django's own `save_related` (many-to-many values, then inline rows), with the object's event
        written in between: after its many-to-many values are saved, before its inline rows' events."""
        form.save_m2m()
        self._journal_saved_object(request, form.instance)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def _journal_saved_object(self, request, obj):
        before, after = self._pending(request).pop((type(obj), obj.pk), (None, None))
        if after is None:
            return
        after.update({k: v for k, v in snapshot(obj).items() if k not in after})
        if before is None:
            self.audit(request, obj, "added", after)
        else:
            changed = differences(type(obj), before, after)
            if changed:
                self.audit(request, obj, "changed", changed)

    # --- inline rows ---------------------------------------------------------------------------------

    def save_formset(self, request, form, formset, change):
        register_admin_events(formset.model)
        before = {
            inline_form.instance.pk: stored_snapshot(inline_form.instance)
            for inline_form in formset.initial_forms
            if inline_form.instance.pk is not None and inline_form.has_changed()
        }
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            self.audit(request, obj, "deleted", snapshot(obj), deleted=True)
            obj.delete()
        for obj in formset.new_objects:
            obj.save()
            self.audit(request, obj, "added", snapshot(obj))
        for obj, _fields in formset.changed_objects:
            obj.save()
            changed = differences(type(obj), before.get(obj.pk, {}), snapshot(obj))
            if changed:
                self.audit(request, obj, "changed", changed)
        formset.save_m2m()

    # --- deletion ------------------------------------------------------------------------------------

    def delete_model(self, request, obj):
        self.audit(request, obj, "deleted", snapshot(obj), deleted=True)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.audit(request, obj, "deleted", snapshot(obj), deleted=True)
        super().delete_queryset(request, queryset)


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyModelAdmin(admin.ModelAdmin):
    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
