"""`manage.py bench` (via `make bench`): build the bench dataset once, time every registered page.

How pages and datasets are registered: `portal/bench/__init__.py`.
"""

import json
import os
import platform
import time
from pathlib import Path

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from portal.bench import registry
from portal.bench.loading import build
from portal.bench.timing import MAX_P95_MS, MAX_QUERIES, format_sql, format_table, run_page


class Command(BaseCommand):
    help = "Build the benchmark dataset (once) and time every cabinet page beside a bare view and the admin."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=registry.SIZES, default="large", help="dataset size (default: large)")
        parser.add_argument("--requests", type=int, default=30, help="timed requests per row (default: 30)")
        parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (default: 3, at least 1)")
        parser.add_argument("--only", default="", help="time only the pages whose name contains this")
        parser.add_argument("--rebuild", action="store_true", help="build the datasets again from an empty database")
        parser.add_argument("--database-file", type=Path, help="SQLite file to use instead of var/bench*.sqlite3")
        parser.add_argument("--json", type=Path, help="also write the results to this file")
        parser.add_argument("--sql", action="store_true", help="print the SQL of each counted request")
        parser.add_argument("--list", action="store_true", help="list the registered datasets and pages, then stop")

    def handle(self, *args, **options):
        if not getattr(settings, "PORTAL_BENCH", False):
            raise CommandError("run it with DJANGO_SETTINGS_MODULE=portal.settings.bench (`make bench`)")
        if options["requests"] < 1 or options["warmup"] < 1:
            raise CommandError("--requests and --warmup must be at least 1")
        registry.discover()
        if options["list"]:
            for ds in registry.datasets():
                self.stdout.write(f"dataset {ds.name} (order {ds.order}, version {ds.version}) — {ds.module}")
            for p in registry.pages():
                self.stdout.write(f"page {p.name} — {p.module}")
            return

        size = options["size"]
        self._choose_database(size, options["database_file"])
        report = build(registry.datasets(), size=size, rebuild=options["rebuild"], log=self.stdout.write)
        self._print_build(report)

        pages = [p for p in registry.pages() if options["only"].lower() in p.name.lower()]
        admin_user = self._admin_user()
        self.stdout.write(
            f"\nTiming {len(pages)} page(s): {options['warmup']} warm-up + {options['requests']} timed requests each, "
            f"in-process (Django test client), DEBUG={settings.DEBUG}\n"
        )
        started = time.perf_counter()
        results = []
        for p in pages:
            results.append(run_page(p, admin_user=admin_user, warmup=options["warmup"], requests=options["requests"]))
        self.stdout.write(format_table(results))
        self.stdout.write(f"\n(timing took {time.perf_counter() - started:.1f} s)")
        if options["sql"]:
            self.stdout.write(format_sql(results))

        violations = [v for r in results for v in r.violations]
        if violations:
            self.stdout.write(
                self.style.ERROR(
                    f"\nBUDGET VIOLATIONS ({len(violations)}) — budget per cabinet page: "
                    f"<= {MAX_QUERIES} queries, same count with one row, p95 <= {MAX_P95_MS:.0f} ms"
                )
            )
            for line in violations:
                self.stdout.write(self.style.ERROR(f"  ✗ {line}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"\nAll {len(results)} page(s) within budget."))

        if options["json"]:
            options["json"].write_text(
                json.dumps(
                    {
                        "size": size,
                        "database": self._database_label(),
                        "build_seconds": round(report.total_seconds, 2),
                        "datasets": report.counts,
                        "pages": [r.as_dict() for r in results],
                        "violations": violations,
                    },
                    indent=2,
                    ensure_ascii=False,
                    default=str,
                )
            )

    def _choose_database(self, size: str, database_file: Path | None) -> None:
        """SQLite only: each size has its own file, unless BENCH_DATABASE_URL or --database-file says otherwise."""
        conn = connections["default"]
        if conn.vendor != "sqlite":
            if database_file:
                raise CommandError("--database-file is for SQLite; BENCH_DATABASE_URL names a server database")
            return
        if database_file:
            path = database_file.resolve()
        elif not settings.BENCH_DATABASE_FROM_ENV:
            path = Path(settings.BENCH_SQLITE_FILES[size])
        else:
            path = Path(conn.settings_dict["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        conn.close()
        conn.settings_dict["NAME"] = str(path)

    def _database_label(self) -> str:
        if connection.vendor == "sqlite":
            return f"SQLite {connection.settings_dict['NAME']}"
        where = connection.settings_dict.get("HOST") or "local"
        return f"{connection.vendor} {connection.settings_dict.get('NAME')}@{where}"

    def _admin_user(self):
        from accounts.models import Role, User, UserStatus

        return User.objects.filter(role=Role.ADMIN, status=UserStatus.ACTIVE).order_by("pk").first()

    def _print_build(self, report) -> None:
        self.stdout.write(f"\nBench database: {self._database_label()} — size {report.size}")
        self.stdout.write(
            f"Python {platform.python_version()}, Django {django.get_version()}, {platform.machine()}, "
            f"{_cpu_count()} CPU, load average {_load_average()}"
        )
        for name, counts in report.counts.items():
            how = f"built in {report.seconds[name]:.1f} s" if name in report.seconds else "reused"
            detail = ", ".join(f"{value:,} {key}" for key, value in counts.items())
            self.stdout.write(f"  dataset {name}: {how}" + (f" — {detail}" if detail else ""))
        built = sum(s for n, s in report.seconds.items())
        if report.plan.to_build:
            self.stdout.write(
                f"Build time: {report.total_seconds:.1f} s (migrate {report.migrate_seconds:.1f} s, "
                f"datasets and ANALYZE {built:.1f} s)"
            )
        else:
            self.stdout.write(
                f"Build time: nothing to build, every dataset reused ({report.total_seconds:.1f} s to check)"
            )


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


def _load_average() -> str:
    """Other work on the machine skews the timings: the report says how busy it was."""
    try:
        return " / ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"
