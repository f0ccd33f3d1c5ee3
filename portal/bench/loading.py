"""Building the benchmark database: fast inserts for builders, and the build-once bookkeeping.

Which datasets were built, at which size and version, is kept in the table `bench_dataset` of the bench
database itself (created here with plain SQL, no migration: it exists only in bench databases).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from portal.bench.registry import Dataset
from portal.bulk import insert_rows  # noqa: F401  (the builders' API: portal.bench.insert_rows)

STATE_TABLE = "bench_dataset"


# --- helpers for builders -------------------------------------------------------------------------


def by_size(size: str, *, small, large):
    """`by_size(size, small=20, large=200)`: the value for the requested dataset size."""
    if size not in ("small", "large"):
        raise ValueError(f"unknown bench size {size!r}")
    return small if size == "small" else large


def bulk_create_in_batches(model, objects: Iterable, *, batch_size: int = 5000) -> int:
    """`Model.objects.bulk_create` over any iterable (a generator is fine), `batch_size` rows at a time.

    For tens of thousands of rows. Signals and `save()` do not run; `auto_now_add` fields are filled.
    """
    created = 0
    iterator = iter(objects)
    while chunk := list(itertools.islice(iterator, batch_size)):
        model.objects.bulk_create(chunk, batch_size=batch_size)
        created += len(chunk)
    return created


# --- the build-once bookkeeping ------------------------------------------------------------------


@dataclass
class BuildPlan:
    full_rebuild: bool
    to_build: list[Dataset]
    reused: list[Dataset]
    reason: str = ""


@dataclass
class BuildReport:
    size: str
    plan: BuildPlan
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, dict] = field(default_factory=dict)
    migrate_seconds: float = 0.0
    total_seconds: float = 0.0


def ensure_state_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} ("
            " name varchar(100) PRIMARY KEY, size varchar(20) NOT NULL, version integer NOT NULL,"
            " built_at varchar(40) NOT NULL, seconds real NOT NULL, counts text NOT NULL)"
        )


def read_state() -> dict[str, dict]:
    ensure_state_table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, size, version, built_at, seconds, counts FROM {STATE_TABLE}")
        return {
            name: {
                "size": size,
                "version": version,
                "built_at": built_at,
                "seconds": seconds,
                "counts": json.loads(counts),
            }
            for name, size, version, built_at, seconds, counts in cursor.fetchall()
        }


def _record(ds: Dataset, *, size: str, seconds: float, counts: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {STATE_TABLE} WHERE name = %s", [ds.name])
        cursor.execute(
            f"INSERT INTO {STATE_TABLE} (name, size, version, built_at, seconds, counts) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [
                ds.name,
                size,
                ds.version,
                dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                seconds,
                json.dumps(counts),
            ],
        )


def plan_build(registered: list[Dataset], state: dict[str, dict], *, size: str, rebuild: bool) -> BuildPlan:
    """Build what is missing; start over when anything already built no longer matches.

    Datasets build in `order` and later ones read the rows of earlier ones, so a stale or newly added
    dataset that sorts before one already built means starting over; a new one at the end is just added.
    """
    if rebuild:
        return BuildPlan(True, list(registered), [], "--rebuild")
    for ds in registered:
        built = state.get(ds.name)
        if built and built["size"] != size:
            return BuildPlan(True, list(registered), [], f"{ds.name} was built at size {built['size']}")
        if built and built["version"] != ds.version:
            return BuildPlan(
                True, list(registered), [], f"{ds.name} changed (version {built['version']} -> {ds.version})"
            )
    missing = [ds for ds in registered if ds.name not in state]
    built_orders = [ds.order for ds in registered if ds.name in state]
    if missing and built_orders and min(ds.order for ds in missing) < max(built_orders):
        return BuildPlan(
            True, list(registered), [], f"new dataset {missing[0].name} sorts before datasets already built"
        )
    return BuildPlan(False, missing, [ds for ds in registered if ds.name in state])


def sqlite_file() -> Path | None:
    if connection.vendor != "sqlite":
        return None
    return Path(connection.settings_dict["NAME"])


def migrate() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    ensure_state_table()


def reset_database() -> None:
    """Start from an empty, migrated database: delete the SQLite file, or flush PostgreSQL."""
    path = sqlite_file()
    if path is not None:
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        migrate()
        return
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {STATE_TABLE}")


@contextmanager
def fast_writes():
    """On SQLite: no journal and no fsync while building (a crash mid-build means rebuilding anyway)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-262144")  # 256 MB
        cursor.execute("PRAGMA temp_store=MEMORY")
    try:
        yield
    finally:
        if connection.connection is not None:  # None: the file was discarded after a failed build
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")


def _reset_sequences() -> None:
    """Builders may insert explicit ids; PostgreSQL sequences must then move past them."""
    if connection.vendor != "postgresql":
        return
    existing = set(connection.introspection.table_names())
    models = [m for m in apps.get_models() if m._meta.db_table in existing]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def build(registered: list[Dataset], *, size: str, rebuild: bool, log=print) -> BuildReport:
    """Migrate, then build what the plan says, each dataset in one transaction; ANALYZE afterwards."""
    started = time.perf_counter()
    migrate()
    migrate_seconds = time.perf_counter() - started
    plan = plan_build(registered, read_state(), size=size, rebuild=rebuild)
    report = BuildReport(size=size, plan=plan, migrate_seconds=migrate_seconds)
    if plan.full_rebuild:
        log(f"Rebuilding the bench database from scratch: {plan.reason}.")
        began = time.perf_counter()
        reset_database()
        report.migrate_seconds += time.perf_counter() - began
    if plan.to_build:
        with fast_writes():
            for ds in plan.to_build:
                log(f"Building dataset {ds.name} ({size})...")
                began = time.perf_counter()
                try:
                    # The rows and the record of them commit together: a failed build leaves no trace.
                    with transaction.atomic():
                        counts = ds.build(size=size) or {}
                        _reset_sequences()
                        seconds = time.perf_counter() - began
                        _record(ds, size=size, seconds=seconds, counts=counts)
                except BaseException:
                    _discard_after_failed_build()
                    raise
                report.seconds[ds.name] = seconds
                report.counts[ds.name] = counts
                log(f"  {ds.name}: {seconds:.1f} s {_format_counts(counts)}")
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        report.seconds["ANALYZE"] = time.perf_counter() - began
    state = read_state()
    for ds in plan.reused:
        report.counts[ds.name] = state[ds.name]["counts"]
    report.total_seconds = time.perf_counter() - started
    return report


def _discard_after_failed_build() -> None:
    """Without a journal SQLite cannot roll back: a half-built file is deleted so the next run starts over."""
    path = sqlite_file()
    if path is None:
        return
    connection.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _format_counts(counts: dict) -> str:
    return "(" + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + ")" if counts else ""
