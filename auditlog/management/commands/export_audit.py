"""`manage.py export_audit --since 2026-01-01 --until 2026-01-31 --out audit.xlsx` (or .csv).

Dates are inclusive days in the portal's time zone (settings.TIME_ZONE). The export is journaled as a
system event.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

import auditlog
from auditlog import events
from auditlog.exporters import AuditExporter
from auditlog.selectors import audit_event_list_for_operations


def parse_day(value: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CommandError(f"{option} must be a date as YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = "Export the audit journal of a period (inclusive days) to an .xlsx or .csv file."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--until", required=True, help="last day (inclusive), YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="output file, .xlsx or .csv")

    def handle(self, *args, since, until, out, **options):
        first, last = parse_day(since, "--since"), parse_day(until, "--until")
        if first > last:
            raise CommandError(f"--since ({first}) is after --until ({last})")
        path = Path(out)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "csv"):
            raise CommandError(f"--out must end in .xlsx or .csv, got {out!r}")
        if not path.parent.is_dir():
            raise CommandError(f"the directory of --out does not exist: {path.parent}")

        filters = {"date_from": first.isoformat(), "date_to": last.isoformat()}
        exporter = AuditExporter(queryset=audit_event_list_for_operations(filters=filters), filters=filters)
        with path.open("wb") as target:
            rows = exporter.write(target, fmt)
        auditlog.record(
            actor=None,
            event=events.AUDIT_EXPORTED,
            object_text=path.name,
            changes={
                "export": exporter.name,
                "format": fmt,
                "rows": rows,
                "filters": filters,
                "via": "manage.py export_audit",
            },
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote {rows} audit events ({first} … {last}) to {path}"))
