"""An event's changes as a person reads them, in the reader's language: the field's label instead of its
name, a choice's label instead of its value, Yes/No instead of True/False.

A field is named by, in order:
1. a describer an app registered for keys only it knows (`register_describer`, from its `AppConfig.ready()`):
   the notification preferences' `email:<event code>` keys read as "Email: <event's label>";
2. the model of the event's object (`object_type`, "accounts.user"): the field's verbose name and choices;
3. else the raw key, as recorded.
Values are never looked up in the database (no query per row or per field): a foreign key stays its id.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.text import capfirst
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FieldLabel:
    label: str
    choices: dict = field(default_factory=dict)  # stored value → label


# (event code, object type, key) → FieldLabel, or None when the describer does not know the key.
Describer = Callable[[str, str, str], FieldLabel | None]
_DESCRIBERS: list[Describer] = []


def register_describer(describer: Describer) -> None:
    if describer not in _DESCRIBERS:
        _DESCRIBERS.append(describer)


def _model(object_type: str):
    if not object_type or "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def describe_field(*, event: str, object_type: str, key: str) -> FieldLabel:
    for describer in _DESCRIBERS:
        found = describer(event, object_type, key)
        if found is not None:
            return found
    model = _model(object_type)
    if model is not None:
        try:
            model_field = model._meta.get_field(key)
        except FieldDoesNotExist:
            pass
        else:
            label = capfirst(str(getattr(model_field, "verbose_name", key) or key))
            choices = dict(model_field.flatchoices) if getattr(model_field, "choices", None) else {}
            return FieldLabel(label, choices)
    return FieldLabel(key)


def display_value(value, choices: dict | None = None):
    """A recorded value as text: a choice's label, Yes/No, lists joined; None stays None (the page shows —)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if choices and isinstance(value, Hashable) and value in choices:
        return str(choices[value])
    if isinstance(value, list):
        return ", ".join(str(display_value(item, choices)) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    return value


def readable_changes(event) -> list[dict]:
    """`event.changes` as rows for the detail page: {key, label, pair, old, new | value}, sorted by label."""
    rows = []
    for key, recorded in (event.changes or {}).items():
        described = describe_field(event=event.event, object_type=event.object_type, key=key)
        row = {"key": key, "label": described.label}
        if isinstance(recorded, dict) and set(recorded) == {"old", "new"}:
            row.update(
                pair=True,
                old=display_value(recorded["old"], described.choices),
                new=display_value(recorded["new"], described.choices),
            )
        else:
            row.update(pair=False, value=display_value(recorded, described.choices))
        rows.append(row)
    return sorted(rows, key=lambda row: (str(row["label"]).casefold(), row["key"]))
