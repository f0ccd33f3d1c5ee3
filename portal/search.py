"""Case-insensitive search that folds every alphabet, on every database.

SQLite's `LIKE` and `LOWER()` fold only ASCII, so `icontains="ольга"` misses "Ольга" on the embedded
default. Searches use the `ufold` transform instead — `User.objects.filter(full_name__ufold__contains=
fold("Ольга"))` — which is Python's `str.lower()` on SQLite (a deterministic function registered on each
connection) and `LOWER()` on PostgreSQL, whose UTF-8 databases fold Cyrillic themselves.
`search_q(fields, text)` builds the OR over several fields that list pages use.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

SQLITE_FUNCTION = "portal_fold"


def fold(text: str) -> str:
    return (text or "").lower()


def _sqlite_fold(value):
    return value.lower() if isinstance(value, str) else value


class UnicodeFold(models.Transform):
    lookup_name = "ufold"
    function = "LOWER"

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)


def register_lookups() -> None:
    for field in (models.CharField, models.TextField):
        field.register_lookup(UnicodeFold)


def on_connection_created(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, _sqlite_fold, deterministic=True)


def search_q(fields, text: str) -> Q:
    """Rows where any of `fields` contains `text`, ignoring case in any alphabet."""
    needle = fold(text.strip())
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__ufold__contains": needle})
    return query
