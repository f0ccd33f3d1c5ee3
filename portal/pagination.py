"""Keyset pagination by (created_at, id): a page costs one query whatever the table size and depth, and
never counts the table. Cursors name the first/last row of the page in the URL (`?after=` / `?before=`).

Usable for any model with `created_at` and an increasing `id` (the list-page kit: `cabinets.lists.keyset_list`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

PAGE_SIZE = 50


def encode_cursor(row) -> str:
    return f"{row.created_at.isoformat()}~{row.pk}"


def decode_cursor(value: str | None):
    """(created_at, id) from a cursor, or None for a missing or malformed one (→ the first page)."""
    if not value or "~" not in value:
        return None
    stamp, _, pk = value.rpartition("~")
    try:
        moment = datetime.datetime.fromisoformat(stamp.replace(" ", "+"))  # '+' arrives as a space if unescaped
        pk = int(pk)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment, pk


def _beyond(cursor, *, later: bool) -> Q:
    moment, pk = cursor
    if later:
        return Q(created_at__gte=moment) & (Q(created_at__gt=moment) | Q(pk__gt=pk))
    # The first condition alone bounds the index range; the second settles ties at the same instant.
    return Q(created_at__lte=moment) & (Q(created_at__lt=moment) | Q(pk__lt=pk))


@dataclass
class KeysetPage:
    rows: list
    newest_first: bool
    has_previous: bool
    has_next: bool

    @property
    def previous_cursor(self) -> str | None:
        return encode_cursor(self.rows[0]) if self.has_previous and self.rows else None

    @property
    def next_cursor(self) -> str | None:
        return encode_cursor(self.rows[-1]) if self.has_next and self.rows else None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def keyset_page(
    queryset: QuerySet,
    *,
    newest_first: bool = True,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> KeysetPage:
    """One page of `queryset` in time order. `after` = the page following that row in the chosen order,
    `before` = the page preceding it. Fetches size+1 rows to learn whether there is more — no COUNT."""
    forward = ("-created_at", "-pk") if newest_first else ("created_at", "pk")
    backward = ("created_at", "pk") if newest_first else ("-created_at", "-pk")
    after_cursor, before_cursor = decode_cursor(after), decode_cursor(before)
    if before_cursor:
        rows = list(queryset.filter(_beyond(before_cursor, later=newest_first)).order_by(*backward)[: size + 1])
        has_previous = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(rows, newest_first, has_previous=has_previous, has_next=True)
    if after_cursor:
        queryset = queryset.filter(_beyond(after_cursor, later=not newest_first))
    rows = list(queryset.order_by(*forward)[: size + 1])
    return KeysetPage(rows[:size], newest_first, has_previous=after_cursor is not None, has_next=len(rows) > size)
