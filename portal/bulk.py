"""Inserting many rows at once, the way Django stores them: executemany on SQLite, COPY on PostgreSQL.

For writes of tens of thousands of rows where `bulk_create` spends its time building model instances and
preparing each value (the visits import: 100 000 visits and half a million ledger legs; the bench builders).
No model code runs: no `save()`, no signals, no defaults — name every NOT NULL column.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import json
import uuid
from collections.abc import Iterable, Sequence

from django.db import connection


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence], *, batch_size: int = 50_000) -> int:
    """Insert raw rows (tuples in `columns` order) into `table`: executemany on SQLite, COPY on PostgreSQL.

    For millions of rows. Values may be int, float, str, bool, None, aware datetimes, dates, Decimals,
    UUIDs and dicts/lists (stored as JSON); they are adapted the way Django stores them on each backend.
    Nothing fills defaults: name every NOT NULL column (including `auto_now_add` ones).
    """
    connection.ensure_connection()
    quote = connection.ops.quote_name
    column_sql = ", ".join(quote(c) for c in columns)
    adapt = _row_adapter(connection.vendor)
    inserted = 0
    if connection.vendor == "postgresql":
        copy_sql = f"COPY {quote(table)} ({column_sql}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(adapt(row))
                inserted += 1
        return inserted
    if connection.vendor != "sqlite":
        raise NotImplementedError(f"insert_rows supports SQLite and PostgreSQL, not {connection.vendor}")
    sql = f"INSERT INTO {quote(table)} ({column_sql}) VALUES ({', '.join('?' * len(columns))})"
    raw = connection.connection.cursor()
    iterator = map(adapt, rows)
    try:
        while chunk := list(itertools.islice(iterator, batch_size)):
            raw.executemany(sql, chunk)
            inserted += len(chunk)
    finally:
        raw.close()
    return inserted


_PASS_THROUGH = frozenset({int, float, str, bool, type(None)})
# json.dumps with any keyword builds a new encoder per call; one encoder is several times faster.
_encode_json = json.JSONEncoder(ensure_ascii=False).encode


def _sqlite_datetime(value: dt.datetime) -> str:
    """As Django stores it on SQLite: naive UTC text."""
    if value.tzinfo is not None:
        if value.tzinfo is not dt.UTC:
            value = value.astimezone(dt.UTC)
        value = value.replace(tzinfo=None)
    return value.isoformat(" ")


_SQLITE_ADAPTERS = {
    dt.datetime: _sqlite_datetime,
    dt.date: dt.date.isoformat,
    decimal.Decimal: str,
    uuid.UUID: lambda value: value.hex,
    dict: _encode_json,
    list: _encode_json,
}
_POSTGRESQL_ADAPTERS = {dict: _encode_json, list: _encode_json}


def _row_adapter(vendor: str):
    adapters = _POSTGRESQL_ADAPTERS if vendor == "postgresql" else _SQLITE_ADAPTERS

    resolved: dict[type, object] = {}  # each type's adapter (None: passes as it is), found once

    def adapt_value(value):
        kind = type(value)
        try:
            adapter = resolved[kind]
        except KeyError:
            adapter = adapters.get(kind)
            if adapter is None:
                # subclasses, e.g. a datetime subclass
                adapter = next((candidate for base, candidate in adapters.items() if issubclass(kind, base)), None)
            resolved[kind] = adapter
        return value if adapter is None else adapter(value)

    # Which columns need adapting is decided once, from the first row: an int, float, str or bool column
    # stays one; a column that starts with None or anything else is adapted value by value.
    adapted_columns: list[int] | None = None

    def adapt(row):
        nonlocal adapted_columns
        if adapted_columns is None:
            adapted_columns = [i for i, v in enumerate(row) if v is None or type(v) not in _PASS_THROUGH]
        if not adapted_columns:
            return row
        row = list(row)
        for i in adapted_columns:
            value = row[i]
            if value is not None:
                row[i] = adapt_value(value)
        return row

    return adapt
