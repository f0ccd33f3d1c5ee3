"""The context of a notification is stored with it, because the email is rendered later, by a worker.

JSON cannot tell a datetime from a string, and the email must show dates in the recipient's time zone
and amounts as numbers, so dates, datetimes and Decimals are stored tagged and come back typed.
Model instances are refused: pass what the templates show (`lot.title`), not the object.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.functional import Promise

_TAG = "__type__"


def dump_context(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Promise):  # a lazy translation is stored as text in the language active now
        return str(value)
    if isinstance(value, datetime.datetime):
        return {_TAG: "datetime", "value": value.isoformat()}
    if isinstance(value, datetime.date):
        return {_TAG: "date", "value": value.isoformat()}
    if isinstance(value, Decimal):
        return {_TAG: "decimal", "value": str(value)}
    if isinstance(value, (list, tuple)):
        return [dump_context(item) for item in value]
    if isinstance(value, dict):
        if _TAG in value:
            raise TypeError(f"context keys may not be named {_TAG!r}")
        return {str(key): dump_context(item) for key, item in value.items()}
    raise TypeError(
        f"notification context values must be plain data (str, number, Decimal, date, datetime), "
        f"not {type(value).__name__}: pass e.g. lot.title instead of the lot"
    )


def load_context(value):
    if isinstance(value, list):
        return [load_context(item) for item in value]
    if isinstance(value, dict):
        tag = value.get(_TAG)
        if tag == "datetime":
            return datetime.datetime.fromisoformat(value["value"])
        if tag == "date":
            return datetime.date.fromisoformat(value["value"])
        if tag == "decimal":
            return Decimal(value["value"])
        return {key: load_context(item) for key, item in value.items()}
    return value
