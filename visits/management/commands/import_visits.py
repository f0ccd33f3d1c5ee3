"""`manage.py import_visits <file>`: referred visits from an .xlsx or .csv file (SPEC §4 operations), all or
none — the same importer as the staff page (visits/imports.py), journaled as the system (or `--actor`)."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from accounts.capabilities import Capability, has_capability
from accounts.models import User
from portal.imports import ImportFileError
from visits.imports import VisitImporter


class Command(BaseCommand):
    help = "Import referred visits from an .xlsx or .csv file: every row or none; bad rows are listed."

    def add_arguments(self, parser):
        parser.add_argument("file", help="an .xlsx workbook or a .csv file (see the template on the staff page)")
        parser.add_argument("--actor", help="email of the staff member the journal names (default: the system)")

    def handle(self, *args, file, actor=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        user = None
        if actor:
            user = User.objects.filter(email__iexact=actor).first()
            if user is None or not has_capability(user, Capability.RECORD_VISITS):
                raise CommandError(f"{actor} is no staff member who records visits")
        with path.open("rb") as handle:
            uploaded = File(handle, name=path.name)
            try:
                result = VisitImporter(actor=user).run(uploaded)
            except ImportFileError as exc:
                raise CommandError(exc.message) from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"line {error.line}: {error.message}")
            raise CommandError(f"nothing imported: {len(result.errors)} lines need fixing")
        imported = result.created
        self.stdout.write(
            self.style.SUCCESS(
                f"{imported.created} visits imported from {result.rows} rows "
                f"({imported.skipped} already recorded, {imported.lots_closed} lots filled and closed)."
            )
        )
